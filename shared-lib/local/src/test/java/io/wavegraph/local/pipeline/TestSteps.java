package io.wavegraph.local.pipeline;

import io.wavegraph.core.step.BadInputException;
import io.wavegraph.core.step.BadParameterException;
import io.wavegraph.core.step.Params;
import io.wavegraph.core.step.Step;
import io.wavegraph.core.step.StepContext;
import io.wavegraph.core.step.StepInput;
import io.wavegraph.core.step.StepOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Small real steps for pipeline tests: they read and write real files and count their runs per
 * (graph, step, item), so tests can assert that nothing ran twice.
 */
final class TestSteps {
  /** Completed runs, by "graph/step/item". */
  static final Map<String, AtomicInteger> RUNS = new ConcurrentHashMap<>();
  /** Opens the runs of {@code stubborn} steps. */
  static volatile CountDownLatch RELEASE = new CountDownLatch(1);
  /** Instances closed, by graph; and those closed while their {@code process} still ran. */
  static final Map<String, AtomicInteger> CLOSED = new ConcurrentHashMap<>();
  static final Map<String, AtomicInteger> CLOSED_WHILE_RUNNING = new ConcurrentHashMap<>();

  static int closed(String graph) {
    AtomicInteger n = CLOSED.get(graph);
    return n == null ? 0 : n.get();
  }

  static int closedWhileRunning(String graph) {
    AtomicInteger n = CLOSED_WHILE_RUNNING.get(graph);
    return n == null ? 0 : n.get();
  }

  /** Attempts (completed or not), by "graph/step/item". */
  static final Map<String, AtomicInteger> ATTEMPTS = new ConcurrentHashMap<>();

  private TestSteps() {}

  static Map<String, Supplier<Step>> catalog() {
    return Map.of("copy", Copy::new, "join", Join::new);
  }

  static int runs(String graph, String step, String item) {
    AtomicInteger n = RUNS.get(graph + "/" + step + "/" + item);
    return n == null ? 0 : n.get();
  }

  static int attempts(String graph, String step, String item) {
    AtomicInteger n = ATTEMPTS.get(graph + "/" + step + "/" + item);
    return n == null ? 0 : n.get();
  }

  /**
   * Copies its input and appends a line naming itself. Parameters: {@code tag} (changes the
   * version's hash), {@code fail_times} (the first N attempts per item throw an IOException),
   * {@code bad} (comma-separated items that fail as bad input), {@code hang} (block until
   * interrupted, to exercise timeouts), {@code stubborn} (block, deaf to interrupts, until {@link
   * #RELEASE} opens, as a native kernel would).
   */
  static class Copy implements Step {
    String graph;
    String step;
    int failTimes;
    Set<String> bad;
    boolean hang;
    boolean stubborn;
    volatile boolean running;

    @Override
    public List<String> outputs() {
      return List.of("txt");
    }

    @Override
    public void configure(Params p) throws BadParameterException {
      p.getString("tag", "");
      failTimes = p.getInt("fail_times", 0, 0, 100);
      bad = Arrays.stream(p.getString("bad", "").split(",")).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
      hang = p.getBoolean("hang", false);
      stubborn = p.getBoolean("stubborn", false);
    }

    @Override
    public void open(StepContext context) {
      graph = context.graphName();
      step = context.stepName();
    }

    @Override
    public void process(StepInput in, StepOutput out) throws Exception {
      String key = graph + "/" + step + "/" + in.item();
      int attempt = ATTEMPTS.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
      if (bad.contains(in.item())) throw new BadInputException(in.name() + ": this item is bad");
      if (attempt <= failTimes) throw new IOException("transient failure " + attempt);
      if (hang) new CountDownLatch(1).await();
      if (stubborn) {
        running = true;
        try {
          while (true) {
            try {
              RELEASE.await();
              break;
            } catch (InterruptedException deaf) {
              // like native code: an interrupt does not stop it
            }
          }
        } finally {
          running = false;
        }
      }
      byte[] body = Files.readAllBytes(input(in));
      Files.write(out.file("txt"), concat(body, (step + "\n").getBytes(StandardCharsets.UTF_8)));
      RUNS.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
    }

    @Override
    public void close() {
      CLOSED.computeIfAbsent(graph, k -> new AtomicInteger()).incrementAndGet();
      if (running) CLOSED_WHILE_RUNNING.computeIfAbsent(graph, k -> new AtomicInteger()).incrementAndGet();
    }

    java.nio.file.Path input(StepInput in) throws IOException {
      return in.file();
    }
  }

  /** Concatenates the primary outputs of all its parents. */
  static final class Join extends Copy {
    @Override
    public void process(StepInput in, StepOutput out) throws Exception {
      String key = graph + "/" + step + "/" + in.item();
      ATTEMPTS.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
      byte[] all = new byte[0];
      for (String p : in.parents()) all = concat(all, Files.readAllBytes(in.file(p)));
      Files.write(out.file("txt"), concat(all, (step + "\n").getBytes(StandardCharsets.UTF_8)));
      RUNS.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
    }
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
