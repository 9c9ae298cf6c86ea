package io.wavegraph.compiler.workflows;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.cloud.NoCredentials;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.FirestoreOptions;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import io.wavegraph.compiler.GraphCompiler;
import io.wavegraph.core.batch.BatchManifest;
import io.wavegraph.core.envelope.Envelope;
import io.wavegraph.core.envelope.EnvelopeCodec;
import io.wavegraph.core.graph.GraphParser;
import io.wavegraph.core.graph.ResolvedGraph;
import io.wavegraph.core.pipeline.PipelineEvent;
import io.wavegraph.core.port.Ack;
import io.wavegraph.core.port.LedgerState;
import io.wavegraph.core.port.StepItem;
import io.wavegraph.core.port.SubscriptionSettings;
import io.wavegraph.core.step.StepFactory;
import io.wavegraph.gcp.Backoff;
import io.wavegraph.gcp.Emulator;
import io.wavegraph.gcp.EmulatorRuntime;
import io.wavegraph.gcp.FirestoreLedger;
import io.wavegraph.gcp.PubSubBus;
import io.wavegraph.functions.StepRuntime;
import io.wavegraph.testkit.FakeGcsServer;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import io.wavegraph.testkit.Skips;
import io.wavegraph.testkit.TestAudio;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The cloud batch path end to end on real local services: requests on the step's topic reach its
 * admission (the step function's handler for a job step, {@code BatchAdmission}) by a
 * subscription, as the admission function's push subscription delivers them; the compiled {@code
 * batch-resample} workflow runs in {@link WorkflowInterpreter} against {@link EmulatorGoogleApis}
 * (the Pub/Sub and Firestore emulators, a {@link FakeGcsServer}) on the admitted requests, and its
 * job is the real {@code BatchJobMain}, run in process once per task. Skipped, loudly, without
 * gcloud's emulators.
 */
class BatchWorkflowEmulatorTest {
  private static final String PROJECT = "wavegraph-batch";
  private static final ObjectMapper JSON = new ObjectMapper();
  /** A cheap job step between a function and a function: batches of 4, in 2 tasks. */
  private static final String GRAPH = """
      name: bt
      gcp: {project: wavegraph-batch, region: europe-west1}
      storage: {input: gs://raw, output: gs://features}
      steps:
        downsample:
          uses: downsample
          params: {rate: 16000, channels: 1}
        resample:
          uses: downsample
          params: {rate: 8000, channels: 1}
          from: [downsample]
          kind: job
          retries: 0
          batch: {size: 4, wait: 1m, tasks: 2}
        loudness:
          uses: loudness
          from: [resample]
      """;

  private static Emulator pubsub;
  private static Emulator firestore;
  private static FakeGcsServer gcs;
  private static Storage storage;
  private static Firestore db;
  private static PubSubBus bus;
  private static EmulatorGoogleApis cloud;
  private static String workflow;
  private static String config;
  private static VirtualClock clock;
  private static int executions;
  /** When set, the job's tasks get a configuration they refuse (exit 2), as a broken deploy would. */
  private static volatile boolean brokenJob;
  /** What reached the children's topic and the dead-letter topic, by item. */
  private static final Map<String, Integer> toChild = new ConcurrentHashMap<>();
  private static final Map<String, Integer> deadLettered = new ConcurrentHashMap<>();
  /** What the admission forwarded to the batch workflow, and what it settled itself, by item. */
  private static final Map<String, Integer> admitted = new ConcurrentHashMap<>();
  private static final Map<String, Integer> skippedAtAdmission = new ConcurrentHashMap<>();
  private static StepRuntime admission;

  @BeforeAll
  static void start() throws Exception {
    Skips.unless(BatchWorkflowEmulatorTest.class, EmulatorRuntime.whyUnavailable(Map.of()));
    ResolvedGraph g = new GraphParser(StepFactory.fromClassPath(BatchWorkflowEmulatorTest.class.getClassLoader()))
        .parse(GRAPH, "bt.yaml", null);
    Map<String, String> files = new GraphCompiler().compile(g).files();
    workflow = files.get("workflows/bt-batch-resample.yaml");
    config = files.get("functions/resample.json");
    assertThat(workflow).as("the compiled batch workflow gathers the admitted requests").isNotNull()
        .contains("/subscriptions/bt-resample-admitted\"");

    pubsub = Emulator.start(Emulator.Kind.PUBSUB, "256m", Duration.ofSeconds(60));
    firestore = Emulator.start(Emulator.Kind.FIRESTORE, "256m", Duration.ofSeconds(60));
    gcs = FakeGcsServer.start();
    storage = StorageOptions.newBuilder().setHost(gcs.endpoint()).setProjectId(PROJECT)
        .setCredentials(NoCredentials.getInstance()).build().getService();
    db = FirestoreOptions.newBuilder().setProjectId(PROJECT).setDatabaseId("bt-ledger")
        .setEmulatorHost(firestore.host()).build().getService();
    bus = PubSubBus.forEmulator(pubsub.host(), PROJECT);
    for (String t : List.of("bt-resample", "bt-resample-admitted", "bt-loudness", "bt-downsample", "bt-resample-dead-letter")) {
      bus.createTopic(t);
    }
    bus.subscribe("bt-loudness", "child-watch", SubscriptionSettings.defaults(), d -> count(toChild, d.message().data()));
    bus.subscribe("bt-resample-dead-letter", "dead-watch", SubscriptionSettings.defaults(),
        d -> count(deadLettered, d.message().data()));
    clock = VirtualClock.manual(Instant.now());
    cloud = new EmulatorGoogleApis(clock, pubsub.host(), gcs, db, BatchWorkflowEmulatorTest::jobEnv);
    cloud.createPullSubscription("projects/" + PROJECT + "/subscriptions/bt-resample-admitted",
        "projects/" + PROJECT + "/topics/bt-resample-admitted");
    bus.subscribe("bt-resample-admitted", "admitted-watch", SubscriptionSettings.defaults(), d -> count(admitted, d.message().data()));
    // The admission function: the step function's handler for a job step, on the step's topic.
    Map<String, String> env = jobEnv("unused");
    env.remove("WAVEGRAPH_MANIFEST");
    admission = StepRuntime.create(env, e -> {
      if (e.kind() == PipelineEvent.Kind.SKIPPED) skippedAtAdmission.merge(e.item(), 1, Integer::sum);
    });
    bus.subscribe("bt-resample", "bt-resample", SubscriptionSettings.defaults(), admission.handler());
  }

  @AfterAll
  static void stop() throws Exception {
    if (admission != null) admission.close();
    if (cloud != null) cloud.close();
    if (bus != null) bus.close();
    if (db != null) db.close();
    if (storage != null) storage.close();
    if (gcs != null) gcs.close();
    if (firestore != null) firestore.close();
    if (pubsub != null) pubsub.close();
  }

  /** Counts a delivery by its item, and acknowledges it. */
  static Ack count(Map<String, Integer> into, byte[] data) {
    try {
      into.merge(EnvelopeCodec.decode(data, Instant.now()).item(), 1, Integer::sum);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return Ack.ACK;
  }

  /** What Terraform gives the job's tasks, pointed at the emulators; the task index is the connector's. */
  private static Map<String, String> jobEnv(String manifestUri) {
    try {
      ObjectNode c = (ObjectNode) JSON.readTree(config);
      assertThat(c.path("gcp").path("project").asText()).isEqualTo(PROJECT);
      assertThat(c.path("buckets").path("output").asText()).isEqualTo("features");
      Map<String, String> env = new HashMap<>();
      env.put("WAVEGRAPH_CONFIG", brokenJob ? "{\"schema\": \"nope\"}" : c.toString());
      env.put("WAVEGRAPH_MANIFEST", manifestUri);
      env.put("PUBSUB_EMULATOR_HOST", pubsub.host());
      env.put("FIRESTORE_EMULATOR_HOST", firestore.host());
      env.put("STORAGE_EMULATOR_HOST", gcs.endpoint());
      env.put("WAVEGRAPH_JOB_PARALLELISM", "2");
      return env;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** One execution of the workflow, as Cloud Scheduler starts it; its id is the batch id. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> runBatch() {
    String id = "exec-" + (++executions);
    StandardLibrary stdlib = new StandardLibrary(clock, Map.of("GOOGLE_CLOUD_PROJECT_ID", PROJECT,
        "GOOGLE_CLOUD_LOCATION", "europe-west1", "GOOGLE_CLOUD_WORKFLOW_EXECUTION_ID", id));
    return (Map<String, Object>) new WorkflowInterpreter(workflow, stdlib, cloud).run(null);
  }

  /**
   * A request for {@code item} on the step's topic; its input is the parent's output, when {@code
   * input}. Returns once the admission has forwarded it to the batch workflow's topic.
   */
  private static void request(String item, byte[] input) throws InterruptedException {
    int before = admitted.getOrDefault(item, 0);
    if (input != null) gcs.putObject("features", "downsample/" + item + ".wav", input);
    bus.publish("bt-resample", EnvelopeCodec.encode(Envelope.request(item, Instant.now())));
    awaitCount(admitted, item, before + 1);
  }

  private static FirestoreLedger ledger() {
    return new FirestoreLedger(db, "ledger", FirestoreLedger.RETENTION, Backoff.defaults(), false);
  }

  private static LedgerState state(String item) {
    return ledger().get(new StepItem("resample", item)).orElseThrow(() -> new AssertionError("no record of " + item)).state();
  }

  /** Waits (bounded) until the watched topic has delivered {@code n} messages of {@code item}. */
  private static void awaitCount(Map<String, Integer> seen, String item, int n) throws InterruptedException {
    long end = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (seen.getOrDefault(item, 0) < n && System.nanoTime() < end) Thread.sleep(50); // a real subscriber
    assertThat(seen.getOrDefault(item, 0)).as("messages for " + item).isEqualTo(n);
  }

  @Test
  void aBatchOfRealMessagesRunsInTheJobSettlesTheLedgerPassesOnAndEmptiesTheSubscription() throws Exception {
    List<String> items = List.of("ok/a", "ok/b", "ok/c", "ok/d");
    for (int i = 0; i < items.size(); i++) request(items.get(i), TestAudio.sineWav(300 + 50 * i));
    int runs = cloud.jobExits.size();

    Map<String, Object> out = runBatch();

    String uri = "gs://features/_wavegraph/manifests/resample/" + out.get("batch") + ".json";
    assertThat(out).containsEntry("items", 4L).containsEntry("acked", 4L).containsEntry("redelivered", 0L)
        .containsEntry("manifest", uri);
    Blob written = storage.get(BlobId.of("features", "_wavegraph/manifests/resample/" + out.get("batch") + ".json"));
    assertThat(written).as("the manifest in Cloud Storage").isNotNull();
    BatchManifest manifest = BatchManifest.parse(written.getContent(), uri, Instant.now());
    assertThat(manifest.entries()).extracting(BatchManifest.Entry::item).containsExactlyInAnyOrderElementsOf(items);
    assertThat(manifest.entries().get(0).inputs()).singleElement().asString().startsWith("gs://features/downsample/ok/");
    assertThat(cloud.jobExits.subList(runs, cloud.jobExits.size())).as("one job run, in batch.tasks tasks, all succeeded")
        .containsExactly(List.of(0, 0));
    for (String item : items) {
      assertThat(state(item)).as(item).isEqualTo(LedgerState.DONE);
      assertThat(storage.get(BlobId.of("features", "resample/" + item + ".wav"))).as("output of " + item).isNotNull();
      awaitCount(toChild, item, 1);
    }

    Map<String, Object> again = runBatch();

    assertThat(again).as("every message was acknowledged").containsEntry("items", 0L).containsEntry("manifest", null);
    assertThat(storage.get(BlobId.of("features", "_wavegraph/manifests/resample/" + again.get("batch") + ".json"))).isNull();
    assertThat(cloud.jobExits).as("no job for an empty batch").hasSize(runs + 1);
    for (String item : items) assertThat(toChild.get(item)).as("passed on once: " + item).isEqualTo(1);
  }

  /** ADR 0007's "admission first", in the cloud: a re-run of finished work is settled before any batch. */
  @Test
  void finishedWorkRequestedAgainIsPassedOnByTheAdmissionAndStartsNoJob() throws Exception {
    List<String> items = List.of("again/a", "again/b");
    for (int i = 0; i < items.size(); i++) request(items.get(i), TestAudio.sineWav(500 + 50 * i));
    assertThat(runBatch()).containsEntry("items", 2L).containsEntry("acked", 2L);
    for (String item : items) awaitCount(toChild, item, 1);
    int runs = cloud.jobExits.size();

    for (String item : items) bus.publish("bt-resample", EnvelopeCodec.encode(Envelope.request(item, Instant.now())));
    for (String item : items) {
      awaitCount(skippedAtAdmission, item, 1);
      awaitCount(toChild, item, 2); // passed on, so the children run, as a function step does
    }
    Map<String, Object> out = runBatch();

    assertThat(out).as("nothing admitted: no manifest").containsEntry("items", 0L).containsEntry("manifest", null);
    assertThat(cloud.jobExits).as("no job started for finished work").hasSize(runs);
    for (String item : items) assertThat(admitted.get(item)).as("forwarded once only: " + item).isEqualTo(1);
  }

  @Test
  void anItemThatFailsForGoodIsDeadLetteredAndItsMessageAcknowledged() throws Exception {
    request("bad/x", "this is not audio".getBytes(UTF_8));
    request("good/y", TestAudio.sineWav(440));

    Map<String, Object> out = runBatch();

    assertThat(out).containsEntry("items", 2L).containsEntry("acked", 2L).containsEntry("redelivered", 0L);
    assertThat(state("bad/x")).isEqualTo(LedgerState.FAILED);
    assertThat(state("good/y")).isEqualTo(LedgerState.DONE);
    awaitCount(deadLettered, "bad/x", 1);
    awaitCount(toChild, "good/y", 1);
    assertThat(toChild).doesNotContainKey("bad/x");
    assertThat(runBatch()).as("failed counts as settled: nothing comes back").containsEntry("items", 0L);
  }

  @Test
  void aFailedJobLeavesItsItemsToTheNextExecution() throws Exception {
    request("retry/z", TestAudio.sineWav(220));
    brokenJob = true;
    try {
      assertThatThrownBy(BatchWorkflowEmulatorTest::runBatch).isInstanceOf(WorkflowError.class)
          .hasMessageContaining("exited with code 2");
    } finally {
      brokenJob = false;
    }
    assertThat(ledger().get(new StepItem("resample", "retry/z"))).as("the job never started it").isEmpty();

    Map<String, Object> next = runBatch();

    assertThat(next).as("nacked, so redelivered to the next batch").containsEntry("items", 1L).containsEntry("acked", 1L);
    assertThat(state("retry/z")).isEqualTo(LedgerState.DONE);
    awaitCount(toChild, "retry/z", 1);
  }
}
