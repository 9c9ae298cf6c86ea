package io.wavegraph.local.pipeline;

import io.wavegraph.core.envelope.Envelope;
import io.wavegraph.core.graph.GraphParser;
import io.wavegraph.core.graph.ResolvedGraph;
import io.wavegraph.core.pipeline.PipelineEvent;
import io.wavegraph.core.pipeline.PipelineEvent.Kind;
import io.wavegraph.core.port.LedgerRecord;
import io.wavegraph.core.port.StepItem;
import io.wavegraph.core.step.StepFactory;
import io.wavegraph.local.EmbeddedRuntime;
import io.wavegraph.local.InProcessBus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/** A graph of test steps over an input folder and a work folder, run on the embedded runtime. */
final class GraphFixture {
  private static final AtomicInteger GRAPHS = new AtomicInteger();
  final Path input;
  final Path work;
  final String name;
  InProcessBus.Options busOptions = InProcessBus.Options.defaults();

  GraphFixture(Path tmp) throws IOException {
    input = Files.createDirectories(tmp.resolve("input"));
    work = tmp.resolve("work");
    name = "g" + GRAPHS.incrementAndGet();
  }

  /** The graph named uniquely for this fixture; {@code steps} is the YAML under {@code steps:}. */
  ResolvedGraph graph(String steps) throws Exception {
    String yaml = "name: " + name + "\nsteps:\n" + steps.stripIndent().indent(2);
    return new GraphParser(new StepFactory(TestSteps.catalog(), getClass().getClassLoader()))
        .parse(yaml, name + ".yaml", null);
  }

  void inputFile(String key, String content) throws IOException {
    Path p = input.resolve(key);
    Files.createDirectories(p.getParent());
    Files.writeString(p, content);
  }

  String output(String step, String item) throws IOException {
    return Files.readString(work.resolve("outputs").resolve(step + "/" + item + ".txt"), StandardCharsets.UTF_8);
  }

  Path outputPath(String step, String item) {
    return work.resolve("outputs").resolve(step + "/" + item + ".txt");
  }

  int runs(String step, String item) {
    return TestSteps.runs(name, step, item);
  }

  int attempts(String step, String item) {
    return TestSteps.attempts(name, step, item);
  }

  /** Runs every input file through the roots, top-down. */
  Result runAll(ResolvedGraph g, boolean force) throws Exception {
    return run(g, rt -> {
      try (var files = Files.walk(input)) {
        Instant now = Instant.now();
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          String key = input.relativize(f).toString();
          String item = key.contains(".") ? key.substring(0, key.lastIndexOf('.')) : key;
          for (String root : g.graph().roots()) rt.publish(root, Envelope.request(item, now).withForce(force));
        }
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
  }

  /** The events of the run under way (or the last one). */
  volatile List<PipelineEvent> events = List.of();

  /** Waits (up to 30 s) until {@code count} events of {@code kind} at {@code step} were seen. */
  void awaitEvents(String step, Kind kind, int count) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (new Result(events).count(step, kind) < count) {
      if (System.nanoTime() > deadline) throw new AssertionError("no " + count + " " + kind + " at " + step + ": " + events);
      Thread.sleep(5);
    }
  }

  /** Opens the runtime, lets {@code publish} send requests, waits until idle, closes. */
  Result run(ResolvedGraph g, Consumer<EmbeddedRuntime> publish) throws Exception {
    List<PipelineEvent> events = new CopyOnWriteArrayList<>();
    this.events = events;
    EmbeddedRuntime.Config config = new EmbeddedRuntime.Config(input, work, 2, Duration.ofMillis(10),
        Duration.ofMillis(50), busOptions);
    try (EmbeddedRuntime rt = EmbeddedRuntime.open(g, config, events::add)) {
      publish.accept(rt);
      if (!rt.awaitIdle(Duration.ofSeconds(60))) throw new AssertionError("the graph did not go idle in 60 s");
      return new Result(events);
    }
  }

  LedgerRecord record(ResolvedGraph g, String step, String item) throws IOException {
    try (var ledger = io.wavegraph.local.SqliteLedger.open(work.resolve(EmbeddedRuntime.LEDGER_FILE))) {
      return ledger.get(new StepItem(step, item)).orElse(null);
    }
  }

  List<String> deadLetters() throws IOException {
    Path f = work.resolve(EmbeddedRuntime.DEAD_LETTERS);
    return Files.exists(f) ? Files.readAllLines(f) : List.of();
  }

  record Result(List<PipelineEvent> events) {
    long count(String step, Kind kind) {
      return events.stream().filter(e -> e.step().equals(step) && e.kind() == kind).count();
    }

    List<PipelineEvent> of(Kind kind) {
      return events.stream().filter(e -> e.kind() == kind).toList();
    }
  }
}
