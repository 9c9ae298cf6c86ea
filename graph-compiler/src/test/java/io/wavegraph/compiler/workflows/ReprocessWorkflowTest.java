package io.wavegraph.compiler.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import io.wavegraph.audio.SampleFormat;
import io.wavegraph.audio.WavWriter;
import io.wavegraph.compiler.GraphCompiler;
import io.wavegraph.core.envelope.Envelope;
import io.wavegraph.core.graph.GraphParser;
import io.wavegraph.core.graph.ResolvedGraph;
import io.wavegraph.core.pipeline.PipelineListener;
import io.wavegraph.core.port.LedgerRecord;
import io.wavegraph.core.step.StepFactory;
import io.wavegraph.local.EmbeddedRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Runs the emitted {@code chain-reprocess} workflow in {@link WorkflowInterpreter} against an
 * {@link EmbeddedRuntime}: the orchestration logic (fan-out, ledger polling, summary) is executed,
 * not just parsed.
 */
class ReprocessWorkflowTest {
  @TempDir Path dir;
  private EmbeddedRuntime runtime;

  @AfterEach
  void close() {
    if (runtime != null) runtime.close();
  }

  static ResolvedGraph chain() throws Exception {
    Path file = Path.of("src/test/resources/compiler/graphs/chain.yaml");
    return new GraphParser(StepFactory.fromClassPath(ReprocessWorkflowTest.class.getClassLoader()))
        .parse(Files.readString(file), "chain.yaml", null);
  }

  static String reprocessYaml(ResolvedGraph g) throws Exception {
    return new GraphCompiler().compile(g).files().get("workflows/chain-reprocess.yaml");
  }

  /** Opens the runtime on {@code input} and runs every item through the graph once. */
  private ResolvedGraph runOnce(Path input, List<String> items) throws Exception {
    ResolvedGraph g = chain();
    runtime = EmbeddedRuntime.open(g, EmbeddedRuntime.Config.of(input, dir.resolve("work"), 2), PipelineListener.none());
    for (String item : items) runtime.publish("downsample", Envelope.request(item, Instant.now()));
    assertThat(runtime.awaitIdle(Duration.ofMinutes(2))).isTrue();
    return g;
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> reprocess(ResolvedGraph g, Map<String, Object> args) throws Exception {
    VirtualClock clock = new VirtualClock();
    EmbeddedGoogleApis apis = new EmbeddedGoogleApis(runtime, "chain", g.graph().topologicalOrder(), "my-raw-audio", clock);
    StandardLibrary stdlib = new StandardLibrary(clock, Map.of("GOOGLE_CLOUD_PROJECT_ID", EmbeddedGoogleApis.PROJECT,
        "GOOGLE_CLOUD_WORKFLOW_EXECUTION_ID", "exec-1"));
    return (Map<String, Object>) new WorkflowInterpreter(reprocessYaml(g), stdlib, apis).run(args);
  }

  /** When each item's last run at {@code step} started: a new run changes it, a skip or a ping does not. */
  private Map<String, java.time.Instant> runs(String step) {
    Map<String, java.time.Instant> out = new TreeMap<>();
    for (LedgerRecord r : runtime.ledger().records(step)) out.put(r.key().item(), r.started());
    return out;
  }

  /** The items whose last run started after {@code before}'s. */
  private static java.util.Set<String> reran(Map<String, java.time.Instant> before, Map<String, java.time.Instant> after) {
    java.util.Set<String> out = new java.util.TreeSet<>();
    after.forEach((item, started) -> {
      if (started != null && (before.get(item) == null || started.isAfter(before.get(item)))) out.add(item);
    });
    return out;
  }

  private Path input(String... names) throws Exception {
    Path in = dir.resolve("in");
    for (String n : names) sine(in.resolve(n));
    return in;
  }

  @Test
  // Found by this interpreter: a forced request at loudness re-ran downsample (the pipeline
  // waited for parents above the step where the request entered the graph).
  void forcedReprocessRunsTheStepOnceMorePerItemAndReturnsTheSummary() throws Exception {
    ResolvedGraph g = runOnce(input("a.wav", "b.wav", "c.wav"), List.of("a", "b", "c"));
    Map<String, java.time.Instant> loudness = runs("loudness");
    Map<String, java.time.Instant> downsample = runs("downsample");
    assertThat(loudness).containsOnlyKeys("a", "b", "c");

    Map<String, Object> out = reprocess(g, Map.of("step", "loudness", "items", List.of("a", "b", "c"), "force", true));

    assertThat(out.get("graph")).isEqualTo("chain");
    assertThat(out.get("steps")).isEqualTo(List.of("loudness"));
    assertThat(out.get("summary")).isEqualTo(Map.of("requested", 3L, "done", 3L, "failed", 0L, "waiting", 0L));
    assertThat(out.get("failed")).isEqualTo(List.of());
    assertThat(reran(loudness, runs("loudness"))).as("one more run per item at the requested step").containsExactly("a", "b", "c");
    assertThat(runs("downsample")).as("no run at other steps").isEqualTo(downsample);
  }

  @Test
  // Found by this interpreter: the workflow took the request's time after publishing it, so a
  // fast answer could look older than the request.
  void aPingIsAnsweredWithoutWork() throws Exception {
    ResolvedGraph g = runOnce(input("a.wav", "b.wav"), List.of("a", "b"));
    Map<String, java.time.Instant> loudness = runs("loudness");
    Map<String, java.time.Instant> downsample = runs("downsample");

    Map<String, Object> out = reprocess(g, Map.of("step", List.of("downsample", "loudness"), "items", List.of("a", "b"), "ping", true));

    assertThat(out.get("summary")).isEqualTo(Map.of("requested", 4L, "done", 4L, "failed", 0L, "waiting", 0L));
    assertThat(runs("loudness")).isEqualTo(loudness);
    assertThat(runs("downsample")).isEqualTo(downsample);
  }

  @Test
  void aPrefixRequestsEveryInputUnderIt() throws Exception {
    ResolvedGraph g = runOnce(input("tracks/x1.wav", "tracks/x2.wav", "other/y.wav"), List.of("tracks/x1", "tracks/x2", "other/y"));
    Map<String, java.time.Instant> loudness = runs("loudness");

    Map<String, Object> out = reprocess(g, Map.of("step", "loudness", "prefix", "tracks/", "force", true));

    assertThat(out.get("summary")).isEqualTo(Map.of("requested", 2L, "done", 2L, "failed", 0L, "waiting", 0L));
    assertThat(reran(loudness, runs("loudness"))).containsExactly("tracks/x1", "tracks/x2");
  }

  @Test
  void aFailingItemIsInTheSummarysFailures() throws Exception {
    Path in = input("a.wav");
    Files.write(in.resolve("bad.wav"), "not a wav file".getBytes());
    ResolvedGraph g = runOnce(in, List.of("a", "bad"));

    Map<String, Object> out = reprocess(g, Map.of("step", "downsample", "items", List.of("a", "bad"), "force", true, "wait_seconds", 600));

    assertThat(out.get("summary")).isEqualTo(Map.of("requested", 2L, "done", 1L, "failed", 1L, "waiting", 0L));
    assertThat(out.get("failed")).isEqualTo(List.of("downsample:bad"));
  }

  @Test
  void anUnknownStepIsRaised() throws Exception {
    ResolvedGraph g = runOnce(input("a.wav"), List.of("a"));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> reprocess(g, Map.of("step", "nope", "items", List.of("a"))))
        .isInstanceOf(WorkflowError.class).hasMessageContaining("unknown step 'nope'");
  }

  /** The ledger contract's test vector (also in FirestoreLedgerTest), computed by the emitted expression. */
  @Test
  @SuppressWarnings("unchecked")
  void theWorkflowComputesTheLedgerDocumentIdOfTheRuntime() throws Exception {
    Map<String, Object> doc = (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(reprocessYaml(chain()));
    Map<String, Object> init = (Map<String, Object>) ((List<Map<String, Object>>) ((Map<String, Object>) doc.get("wait_ledger")).get("steps")).get(0).get("init");
    Object idExpression = ((Map<String, Object>) ((List<Object>) init.get("assign")).get(0)).get("id");
    String probe = """
        main:
          params: [args]
          steps:
            - vars:
                assign:
                  - step: loudness
                  - item: tracks/ab12
            - answer:
                return: '%s'
        """.formatted(((String) idExpression).replace("'", "''"));
    Object id = new WorkflowInterpreter(probe, new StandardLibrary(new VirtualClock(), Map.of()), new Connectors() {
      public boolean has(String name) {
        return false;
      }

      public Object call(String name, Map<String, Object> args) {
        throw new Unsupported(name);
      }
    }).run(Map.of());
    assertThat(id).isEqualTo("TXQDcbiOYfzEC4Vem6p1RyOYw7XiRcV11b_avMVyGjs=");
    assertThat(io.wavegraph.core.port.LedgerDocumentId.of("loudness", "tracks/ab12")).isEqualTo(id);
  }

  static void sine(Path file) throws Exception {
    Files.createDirectories(file.getParent());
    int rate = 22050;
    int frames = rate / 2;
    try (WavWriter w = WavWriter.create(file, rate, 2, SampleFormat.PCM_24)) {
      float[] buf = new float[2 * frames];
      for (int i = 0; i < frames; i++) buf[2 * i] = buf[2 * i + 1] = (float) (0.5 * Math.sin(2 * Math.PI * 440 * i / rate));
      w.write(buf, frames);
    }
  }
}
