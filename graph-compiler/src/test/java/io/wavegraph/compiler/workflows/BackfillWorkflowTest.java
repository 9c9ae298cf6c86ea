package io.wavegraph.compiler.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import io.wavegraph.compiler.GraphCompiler;
import io.wavegraph.core.envelope.ItemIds;
import io.wavegraph.core.graph.GraphParser;
import io.wavegraph.core.graph.ResolvedGraph;
import io.wavegraph.core.pipeline.PipelineListener;
import io.wavegraph.core.port.LedgerRecord;
import io.wavegraph.core.port.LedgerState;
import io.wavegraph.core.step.StepFactory;
import io.wavegraph.local.EmbeddedRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the {@code prefixed-backfill} workflow, compiled from the golden graph whose input lies
 * under a prefix ({@code gs://raw-audio/tracks/}), in {@link WorkflowInterpreter} against an
 * {@link EmbeddedRuntime}: the items that reach the root are the ids a root function derives from
 * the same uploads ({@link ItemIds#fromObjectName(String, String)}), and every one is processed;
 * then {@code prefixed-reprocess} by prefix reaches the same items.
 */
class BackfillWorkflowTest {
  static final String INPUT_PREFIX = "tracks/";
  @TempDir Path dir;
  private EmbeddedRuntime runtime;

  @AfterEach
  void close() {
    if (runtime != null) runtime.close();
  }

  static ResolvedGraph prefixed() throws Exception {
    Path file = Path.of("src/test/resources/compiler/graphs/prefixed.yaml");
    return new GraphParser(StepFactory.fromClassPath(BackfillWorkflowTest.class.getClassLoader()))
        .parse(Files.readString(file), "prefixed.yaml", null);
  }

  private Map<String, Object> backfill(ResolvedGraph g, EmbeddedGoogleApis apis, VirtualClock clock, Map<String, Object> args) throws Exception {
    return run("workflows/prefixed-backfill.yaml", g, apis, clock, args);
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> run(String workflow, ResolvedGraph g, EmbeddedGoogleApis apis, VirtualClock clock,
      Map<String, Object> args) throws Exception {
    String yaml = new GraphCompiler().compile(g).files().get(workflow);
    StandardLibrary stdlib = new StandardLibrary(clock, Map.of("GOOGLE_CLOUD_PROJECT_ID", EmbeddedGoogleApis.PROJECT,
        "GOOGLE_CLOUD_WORKFLOW_EXECUTION_ID", "exec-1"));
    return (Map<String, Object>) new WorkflowInterpreter(yaml, stdlib, apis).run(args);
  }

  @Test
  void backfilledItemsAreTheIdsTheRootDerivesAndAreAllProcessed() throws Exception {
    Path in = dir.resolve("in");
    for (String n : List.of("a.wav", "live/b.flac.wav", "live/set.2/c.wav")) ReprocessWorkflowTest.sine(in.resolve(n));
    ResolvedGraph g = prefixed();
    assertThat(g.graph().storage().input()).isEqualTo("gs://raw-audio/" + INPUT_PREFIX);
    runtime = EmbeddedRuntime.open(g, EmbeddedRuntime.Config.of(in, dir.resolve("work"), 2), PipelineListener.none());
    VirtualClock clock = new VirtualClock();
    EmbeddedGoogleApis apis = new EmbeddedGoogleApis(runtime, "prefixed", g.graph().topologicalOrder(), "raw-audio", INPUT_PREFIX, clock);
    apis.extraObjects.add(INPUT_PREFIX + "live/"); // a folder placeholder, as the console makes them

    Map<String, Object> out = backfill(g, apis, clock, Map.of("prefix", ""));

    // What a root function makes of the finalize notifications of the same objects.
    List<String> rootIds = new ArrayList<>();
    for (String name : List.of("tracks/a.wav", "tracks/live/b.flac.wav", "tracks/live/set.2/c.wav")) {
      rootIds.add("downsample:" + ItemIds.fromObjectName(name, INPUT_PREFIX));
    }
    assertThat(apis.published).containsExactlyInAnyOrderElementsOf(rootIds);
    assertThat(out.get("summary")).isEqualTo(Map.of("requested", 3L, "done", 3L, "failed", 0L, "waiting", 0L));
    Map<String, LedgerState> loudness = new TreeMap<>();
    for (LedgerRecord r : runtime.ledger().records("loudness")) loudness.put(r.key().item(), r.state());
    assertThat(loudness).isEqualTo(Map.of("a", LedgerState.DONE, "live/b.flac", LedgerState.DONE, "live/set.2/c", LedgerState.DONE));

    // Reprocessing by prefix names the same items (the prefix is relative to the input prefix).
    Map<String, java.time.Instant> before = runs("loudness");
    Map<String, Object> again = run("workflows/prefixed-reprocess.yaml", g, apis, clock,
        Map.of("step", "loudness", "prefix", "live/", "force", true));
    assertThat(again.get("summary")).isEqualTo(Map.of("requested", 2L, "done", 2L, "failed", 0L, "waiting", 0L));
    Map<String, java.time.Instant> after = runs("loudness");
    assertThat(after.get("a")).as("outside the prefix: not run again").isEqualTo(before.get("a"));
    assertThat(after.get("live/b.flac")).as("run again").isAfter(before.get("live/b.flac"));
    assertThat(after.get("live/set.2/c")).as("run again").isAfter(before.get("live/set.2/c"));
  }

  /** When each item's last run at {@code step} started: a new run changes it, a skip does not. */
  private Map<String, java.time.Instant> runs(String step) {
    Map<String, java.time.Instant> out = new TreeMap<>();
    for (LedgerRecord r : runtime.ledger().records(step)) out.put(r.key().item(), r.started());
    return out;
  }
}
