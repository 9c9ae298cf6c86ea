package io.wavegraph.compiler.workflows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.wavegraph.compiler.GraphCompiler;
import io.wavegraph.core.envelope.Envelope;
import io.wavegraph.core.envelope.EnvelopeCodec;
import io.wavegraph.core.graph.GraphParser;
import io.wavegraph.core.graph.ResolvedGraph;
import io.wavegraph.core.step.StepFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Runs the {@code stems-batch-separate} workflow compiled from the gpu-batch graph (batch size 64,
 * wait 10m, 4 tasks) in {@link WorkflowInterpreter} against {@link FakeGoogleApis}: what a batch
 * gathers, the manifest and job run it makes, and how every message is settled by the ledger.
 */
class BatchWorkflowTest {
  static final Instant START = Instant.parse("2026-03-01T12:00:00Z");
  static final String BUCKET = "gs://my-audio-features/";
  static final ObjectMapper JSON = new ObjectMapper();
  static String yaml;

  private VirtualClock clock;
  private FakeGoogleApis cloud;
  private int executions;

  @BeforeAll
  static void compile() throws Exception {
    Path file = Path.of("src/test/resources/compiler/graphs/gpu-batch.yaml");
    ResolvedGraph g = new GraphParser(StepFactory.fromClassPath(BatchWorkflowTest.class.getClassLoader()))
        .parse(Files.readString(file), "gpu-batch.yaml", null);
    yaml = new GraphCompiler().compile(g).files().get("workflows/stems-batch-separate.yaml");
    assertThat(yaml).as("the compiled batch workflow").isNotNull();
  }

  @BeforeEach
  void cloud() {
    clock = VirtualClock.manual(START);
    cloud = new FakeGoogleApis(clock, "stems-separate-admitted", "stems-ledger");
  }

  /** One execution of the workflow, as Cloud Scheduler starts it; its id is the batch id. */
  @SuppressWarnings("unchecked")
  private Map<String, Object> runBatch() {
    String id = "exec-" + (++executions);
    StandardLibrary stdlib = new StandardLibrary(clock, Map.of("GOOGLE_CLOUD_PROJECT_ID", FakeGoogleApis.PROJECT,
        "GOOGLE_CLOUD_LOCATION", "europe-west1", "GOOGLE_CLOUD_WORKFLOW_EXECUTION_ID", id));
    return (Map<String, Object>) new WorkflowInterpreter(yaml, stdlib, cloud).run(null);
  }

  private static String envelope(String item) {
    return EnvelopeCodec.toJson(Envelope.request(item, START));
  }

  private FakeGoogleApis.Message request(String item) {
    return cloud.publish(envelope(item));
  }

  /** A job that records every entry's item with the state {@code states} gives it (none: no record). */
  private void jobEnds(Map<String, String> states) {
    cloud.job = (manifest, tasks, c) -> {
      for (Map<String, Object> e : entries(manifest)) {
        String state = states.get((String) e.get("item"));
        if (state != null) c.record("separate", (String) e.get("item"), state);
      }
    };
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> entries(Object manifest) {
    return (List<Map<String, Object>>) ((Map<String, Object>) manifest).get("entries");
  }

  private static List<String> items(Object manifest) {
    return entries(manifest).stream().map(e -> (String) e.get("item")).toList();
  }

  private static Object json(String text) throws Exception {
    return Values.copy(JSON.readValue(text, Object.class));
  }

  private Object manifestOf(Map<String, Object> result) {
    return cloud.objects.get((String) result.get("manifest"));
  }

  private List<String> availableIds() {
    return cloud.available().stream().map(m -> m.id).toList();
  }

  @Test
  void aBatchBecomesOneManifestAndOneJobRunAndEveryFinishedItemIsAcknowledged() throws Exception {
    for (String item : List.of("tracks/a", "tracks/b")) request(item);
    jobEnds(Map.of("tracks/a", "done", "tracks/b", "failed"));

    Map<String, Object> out = runBatch();

    String uri = BUCKET + "_wavegraph/manifests/separate/exec-1.json";
    assertThat(out).containsEntry("batch", "exec-1").containsEntry("items", 2L).containsEntry("acked", 2L)
        .containsEntry("redelivered", 0L).containsEntry("manifest", uri);
    assertThat(cloud.objects).containsOnlyKeys(uri);
    @SuppressWarnings("unchecked")
    Map<String, Object> manifest = (Map<String, Object>) cloud.objects.get(uri);
    assertThat(manifest).containsEntry("schema", "wavegraph.batch-manifest/v1").containsEntry("graph", "stems")
        .containsEntry("step", "separate").containsEntry("batch", "exec-1");
    List<Map<String, Object>> entries = entries(manifest);
    assertThat(items(manifest)).containsExactly("tracks/a", "tracks/b");
    assertThat(entries.get(0).get("inputs")).isEqualTo(List.of(BUCKET + "downsample/tracks/a.wav"));
    assertThat(entries.get(0).get("envelope")).as("the message's envelope, as JSON").isEqualTo(json(cloud.messages.get(0).data));
    assertThat(entries.get(1).get("envelope")).isEqualTo(json(cloud.messages.get(1).data));
    // What the job (BatchJobMain) reads: the same manifest, parsed by the runtime's own reader.
    io.wavegraph.core.batch.BatchManifest parsed = io.wavegraph.core.batch.BatchManifest.parse(
        new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsBytes(manifest), uri, START);
    assertThat(parsed.batch()).isEqualTo("exec-1");
    assertThat(parsed.step()).isEqualTo("separate");
    assertThat(parsed.entries()).extracting(io.wavegraph.core.batch.BatchManifest.Entry::item)
        .containsExactly("tracks/a", "tracks/b");
    assertThat(parsed.entries().get(0).inputs()).containsExactly(BUCKET + "downsample/tracks/a.wav");

    assertThat(cloud.jobRuns).singleElement().satisfies(run -> {
      assertThat(run.get("name")).isEqualTo("projects/test-project/locations/europe-west1/jobs/stems-separate");
      assertThat(run.get("env")).isEqualTo(Map.of("WAVEGRAPH_MANIFEST", uri));
      assertThat(run.get("taskCount")).as("no more tasks than entries").isEqualTo(2L);
      assertThat((Instant) run.get("at")).as("gathered for batch.wait after the first message").isAfterOrEqualTo(START.plus(Duration.ofMinutes(10)));
    });
    assertThat(cloud.messages).allSatisfy(m -> assertThat(m.acked).isTrue());
    assertThat(cloud.messages).allSatisfy(m -> assertThat(m.deliveries).isEqualTo(1));
    assertThat(cloud.expiredWhileHeld()).as("no message slipped out while gathering or while the 20-minute job ran").isZero();
    assertThat(cloud.calls).as("nothing passed on by the workflow: the job publishes itself").doesNotContain("publish");
  }

  @Test
  void gatheringStopsAtTheBatchSize() {
    cloud.maxPerPull = 50; // Pub/Sub may return fewer than asked
    List<String> all = new ArrayList<>();
    for (int i = 0; i < 70; i++) {
      all.add(String.format("t%02d", i));
      request(all.get(i));
    }
    jobEnds(Map.of());

    Map<String, Object> out = runBatch();

    assertThat(out).containsEntry("items", 64L);
    assertThat(items(manifestOf(out))).containsExactlyElementsOf(all.subList(0, 64));
    assertThat(cloud.jobRuns).singleElement().satisfies(run -> {
      assertThat(run.get("taskCount")).as("batch.tasks").isEqualTo(4L);
      assertThat((Instant) run.get("at")).as("no waiting once the batch is full").isBefore(START.plus(Duration.ofMinutes(10)));
    });
    assertThat(cloud.available()).as("the 6 left over were never pulled, and the 64 not finished come back")
        .hasSize(70);
    assertThat(cloud.messages.subList(64, 70)).allSatisfy(m -> assertThat(m.deliveries).isZero());
  }

  @Test
  void gatheringStopsAfterTheWaitWithFewerItemsAndTakesLateArrivals() {
    request("early");
    cloud.publishAt(START.plusSeconds(45), envelope("late"));
    cloud.publishAt(START.plus(Duration.ofMinutes(11)), envelope("next-batch"));
    cloud.job = (manifest, tasks, c) -> items(manifest).forEach(i -> c.record("separate", i, "done"));

    Map<String, Object> out = runBatch();

    assertThat(out).containsEntry("items", 2L).containsEntry("acked", 2L);
    assertThat(items(manifestOf(out))).containsExactly("early", "late");
    Instant ran = (Instant) cloud.jobRuns.get(0).get("at");
    assertThat(ran).as("batch.wait (10m) after the first message, not after the last")
        .isAfterOrEqualTo(START.plus(Duration.ofMinutes(10))).isBefore(START.plus(Duration.ofMinutes(11)));
    assertThat(cloud.calls.stream().filter(c -> c.equals("pull")).count()).as("a pull every 30 s for 10 minutes").isBetween(20L, 22L);
    assertThat(cloud.available()).as("what came after the batch closed waits for the next").hasSize(1);
  }

  @Test
  void unfinishedItemsAreNackedAndComeBackInTheNextBatch() {
    for (String item : List.of("a", "b", "c")) request(item);
    jobEnds(Map.of("a", "done", "b", "claimed")); // c: the task died before claiming it

    Map<String, Object> first = runBatch();

    assertThat(first).containsEntry("items", 3L).containsEntry("acked", 1L).containsEntry("redelivered", 2L);
    assertThat(availableIds()).as("b and c redelivered at once (deadline 0)").containsExactly("2", "3");

    jobEnds(Map.of("b", "done", "c", "done"));
    Map<String, Object> second = runBatch();

    assertThat(second).containsEntry("batch", "exec-2").containsEntry("items", 2L).containsEntry("acked", 2L).containsEntry("redelivered", 0L);
    assertThat(items(manifestOf(second))).containsExactly("b", "c");
    assertThat(cloud.messages).allSatisfy(m -> assertThat(m.acked).isTrue());
    assertThat(cloud.messages.get(0).deliveries).as("a was not run again").isEqualTo(1);
  }

  @Test
  void aFailedJobStillAcknowledgesFinishedItemsAndNacksTheRestThenRaises() {
    for (String item : List.of("a", "b", "c")) request(item);
    cloud.job = (manifest, tasks, c) -> {
      c.record("separate", "a", "done");
      c.record("separate", "b", "failed");
      throw FakeGoogleApis.executionFailed("task 1 of 3 exited with code 137");
    };

    assertThatThrownBy(this::runBatch).isInstanceOf(WorkflowError.class).hasMessageContaining("task 1 of 3 exited with code 137");

    assertThat(cloud.messages.get(0).acked).isTrue();
    assertThat(cloud.messages.get(1).acked).as("failed is final: dead-lettered by the job, not retried here").isTrue();
    assertThat(availableIds()).containsExactly("3");
    assertThat(cloud.expiredWhileHeld()).isZero();
  }

  @Test
  void duplicateMessagesForOneItemMakeOneEntryAndAllAreSettledTogether() throws Exception {
    request("a");
    request("b");
    String forced = EnvelopeCodec.toJson(Envelope.request("a", START).withForce(true));
    cloud.publish(forced);
    cloud.publish("this is not an envelope");
    jobEnds(Map.of("a", "done"));

    Map<String, Object> out = runBatch();

    Object manifest = manifestOf(out);
    assertThat(items(manifest)).as("one entry per item, at the first message's place").containsExactly("a", "b");
    assertThat(entries(manifest).get(0).get("envelope")).as("the latest envelope").isEqualTo(json(forced));
    assertThat(out).containsEntry("items", 2L).containsEntry("acked", 1L).containsEntry("redelivered", 1L);
    assertThat(cloud.messages.get(0).acked).isTrue();
    assertThat(cloud.messages.get(2).acked).as("both messages of a").isTrue();
    assertThat(cloud.messages.get(1).acked).isFalse();
    assertThat(cloud.messages.get(3).acked).as("not a request: nacked, for Pub/Sub to dead-letter after its attempts").isFalse();
    assertThat(availableIds()).containsExactly("2", "4");
  }

  @Test
  void nothingPulledMeansNoManifestAndNoJob() {
    Map<String, Object> out = runBatch();

    assertThat(out).containsEntry("items", 0L).containsEntry("acked", 0L).containsEntry("redelivered", 0L);
    assertThat(cloud.objects).isEmpty();
    assertThat(cloud.jobRuns).isEmpty();
    assertThat(cloud.calls).containsExactly("pull");
  }
}
