package io.wavegraph.functions;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.cloud.NoCredentials;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.FirestoreOptions;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import io.wavegraph.core.batch.BatchManifest;
import io.wavegraph.core.envelope.Envelope;
import io.wavegraph.core.envelope.EnvelopeCodec;
import io.wavegraph.core.pipeline.PipelineEvent.Kind;
import io.wavegraph.core.port.Ack;
import io.wavegraph.core.port.LedgerRecord;
import io.wavegraph.core.port.LedgerState;
import io.wavegraph.core.port.StepItem;
import io.wavegraph.core.port.SubscriptionSettings;
import io.wavegraph.gcp.Backoff;
import io.wavegraph.gcp.Emulator;
import io.wavegraph.gcp.EmulatorRuntime;
import io.wavegraph.gcp.FirestoreLedger;
import io.wavegraph.gcp.GcsBlobStore;
import io.wavegraph.gcp.PubSubBus;
import io.wavegraph.testkit.FakeGcsServer;
import io.wavegraph.testkit.Skips;
import io.wavegraph.testkit.TestAudio;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The batch job entry point as Cloud Run runs it, on the Pub/Sub and Firestore emulators and a fake
 * Cloud Storage: the downsample step of graph "chain" configured as a job, reading a manifest the
 * batch workflow would write, in two tasks; a retried task; bad manifests.
 */
class BatchJobMainTest {
  private static final String PROJECT = "wavegraph-job";
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Emulator pubsub;
  private static Emulator firestore;
  private static FakeGcsServer gcs;
  private static Storage storage;
  private static Firestore db;
  private static PubSubBus bus;
  /** What reached the child's topic, by item. */
  private static final Map<String, Integer> toChild = new ConcurrentHashMap<>();

  @BeforeAll
  static void start() throws Exception {
    Skips.unless(BatchJobMainTest.class, EmulatorRuntime.whyUnavailable(Map.of()));
    pubsub = Emulator.start(Emulator.Kind.PUBSUB, "256m", Duration.ofSeconds(60));
    firestore = Emulator.start(Emulator.Kind.FIRESTORE, "256m", Duration.ofSeconds(60));
    gcs = FakeGcsServer.start();
    storage = StorageOptions.newBuilder().setHost(gcs.endpoint()).setProjectId(PROJECT)
        .setCredentials(NoCredentials.getInstance()).build().getService();
    db = FirestoreOptions.newBuilder().setProjectId(PROJECT).setDatabaseId("chain-ledger")
        .setEmulatorHost(firestore.host()).build().getService();
    bus = PubSubBus.forEmulator(pubsub.host(), PROJECT);
    for (String t : List.of("chain-downsample", "chain-loudness", "chain-downsample-dead-letter")) bus.createTopic(t);
    bus.subscribe("chain-loudness", "child-watch", SubscriptionSettings.defaults(), d -> {
      try {
        toChild.merge(EnvelopeCodec.decode(d.message().data(), Instant.now()).item(), 1, Integer::sum);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      return Ack.ACK;
    });
  }

  @AfterAll
  static void stop() throws Exception {
    if (bus != null) bus.close();
    if (db != null) db.close();
    if (storage != null) storage.close();
    if (gcs != null) gcs.close();
    if (firestore != null) firestore.close();
    if (pubsub != null) pubsub.close();
  }

  private static Map<String, String> env(String manifestUri, int index, int count) throws Exception {
    ObjectNode c = (ObjectNode) JSON.readTree(FunctionConfigTest.config("chain-downsample.json"));
    c.put("kind", "job");
    ((ObjectNode) c.get("gcp")).put("project", PROJECT);
    ((ObjectNode) c.get("buckets")).put("input", "raw").put("input_prefix", "uploads/").put("output", "features")
        .put("output_prefix", "out/");
    Map<String, String> env = new HashMap<>();
    env.put("WAVEGRAPH_CONFIG", c.toString());
    env.put("PUBSUB_EMULATOR_HOST", pubsub.host());
    env.put("FIRESTORE_EMULATOR_HOST", firestore.host());
    env.put("STORAGE_EMULATOR_HOST", gcs.endpoint());
    if (manifestUri != null) env.put(BatchJobMain.MANIFEST, manifestUri);
    env.put("CLOUD_RUN_TASK_INDEX", Integer.toString(index));
    env.put("CLOUD_RUN_TASK_COUNT", Integer.toString(count));
    env.put("WAVEGRAPH_JOB_PARALLELISM", "2");
    return env;
  }

  /** Uploads the items and writes their manifest where the batch workflow would; returns its URI. */
  private static String manifest(String batch, List<String> items) throws Exception {
    List<BatchManifest.Entry> entries = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      gcs.putObject("raw", "uploads/" + items.get(i) + ".wav", TestAudio.sineWav(300 + 50 * i));
      entries.add(new BatchManifest.Entry(items.get(i), List.of("gs://raw/uploads/" + items.get(i) + ".wav"),
          Envelope.request(items.get(i), Instant.now())));
    }
    BatchManifest m = new BatchManifest("chain", "downsample", batch, entries);
    gcs.putObject("features", "out/" + m.key(), m.toJson());
    return "gs://features/out/" + m.key();
  }

  private static FirestoreLedger ledger() {
    return new FirestoreLedger(db, "ledger", FirestoreLedger.RETENTION, Backoff.defaults(), false);
  }

  private record Run(int exit, String out, String err, EventLog log) {}

  private static Run run(Map<String, String> env) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    EventLog log = new EventLog();
    int exit = BatchJobMain.run(env, log, new PrintStream(out, true, UTF_8), new PrintStream(err, true, UTF_8));
    return new Run(exit, out.toString(UTF_8), err.toString(UTF_8), log);
  }

  @Test
  void twoTasksShareTheBatchRunEveryItemOnceAndPassResultsOn() throws Exception {
    List<String> items = List.of("b1/t0", "b1/t1", "b1/t2", "b1/t3", "b1/t4");
    String uri = manifest("exec-1", items);
    Run first = run(env(uri, 0, 2));
    Run second = run(env(uri, 1, 2));
    assertThat(first.exit()).as(first.err()).isZero();
    assertThat(second.exit()).as(second.err()).isZero();
    assertThat(first.out()).contains("batch exec-1 task 0/2: 3 entries, 3 processed");
    assertThat(second.out()).contains("batch exec-1 task 1/2: 2 entries, 2 processed");

    GcsBlobStore features = new GcsBlobStore(storage, "features");
    FirestoreLedger ledger = ledger();
    for (String item : items) {
      assertThat(features.stat("out/downsample/" + item + ".wav")).as(item).isPresent();
      assertThat(ledger.get(new StepItem("downsample", item)).orElseThrow().state()).isEqualTo(LedgerState.DONE);
      LedgerRecord held = ledger.get(BatchManifest.membership("downsample", item)).orElseThrow();
      assertThat(held.owner()).isEqualTo("exec-1");
      assertThat(held.state()).isEqualTo(LedgerState.DONE);
    }
    waitForChild(Set.copyOf(items));

    // The platform runs a task again (it died after finishing): nothing is redone or passed on twice.
    Map<String, Long> revisions = new HashMap<>();
    for (String item : items) revisions.put(item, ledger.get(new StepItem("downsample", item)).orElseThrow().revision());
    Run again = run(env(uri, 0, 2));
    assertThat(again.exit()).isZero();
    assertThat(again.out()).contains("3 finished before");
    assertThat(again.log().count("downsample", Kind.PROCESSED)).isZero();
    for (String item : items) {
      assertThat(ledger.get(new StepItem("downsample", item)).orElseThrow().revision()).isEqualTo(revisions.get(item));
    }
  }

  @Test
  void aRetriedTaskTakesOverWhatItsDeadAttemptHeld() throws Exception {
    List<String> items = List.of("b2/t0", "b2/t1", "b2/t2");
    String uri = manifest("exec-2", items);
    FirestoreLedger ledger = ledger();
    Instant now = Instant.now();
    // The dead attempt held t1's batch membership and its claim, with leases still running.
    ledger.claim(BatchManifest.membership("downsample", "b2/t1"), null, "exec-2", now, Duration.ofHours(1));
    ledger.claim(new StepItem("downsample", "b2/t1"), null, "job:exec-2:b2/t1", now, Duration.ofHours(1));
    // Another live batch holds t2: this one leaves it alone.
    ledger.claim(BatchManifest.membership("downsample", "b2/t2"), null, "exec-other", now, Duration.ofHours(1));

    Run r = run(env(uri, 0, 1));
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("3 entries, 2 processed").contains("1 held by other batches");
    assertThat(r.log().count("downsample", Kind.LOST_CLAIM)).isZero();
    assertThat(ledger.get(new StepItem("downsample", "b2/t1")).orElseThrow().state()).isEqualTo(LedgerState.DONE);
    assertThat(ledger.get(new StepItem("downsample", "b2/t2"))).isEmpty();
  }

  @Test
  void aMissingOrBadManifestIsNamedAndExitsTwo() throws Exception {
    Run none = run(env(null, 0, 1));
    assertThat(none.exit()).isEqualTo(2);
    assertThat(none.err()).contains("WAVEGRAPH_MANIFEST is not set");

    Run missing = run(env("gs://features/out/_wavegraph/manifests/downsample/nope.json", 0, 1));
    assertThat(missing.exit()).isEqualTo(2);
    assertThat(missing.err()).contains("gs://features/out/_wavegraph/manifests/downsample/nope.json: no such object");

    gcs.putObject("features", "out/bad.json", "{\"schema\": \"wavegraph.batch-manifest/v1\", \"graph\": \"chain\"}".getBytes(UTF_8));
    Run bad = run(env("gs://features/out/bad.json", 0, 1));
    assertThat(bad.exit()).isEqualTo(2);
    assertThat(bad.err()).contains("gs://features/out/bad.json: 'step' must be a non-empty string");

    Run index = run(env("gs://features/out/bad.json", 3, 2));
    assertThat(index.exit()).isEqualTo(2);
    assertThat(index.err()).contains("CLOUD_RUN_TASK_INDEX 3 is not in [0, CLOUD_RUN_TASK_COUNT 2)");
  }

  private static void waitForChild(Set<String> items) throws InterruptedException {
    long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!toChild.keySet().containsAll(items) && System.nanoTime() < end) Thread.sleep(50);
    assertThat(toChild.keySet()).containsAll(items);
    for (String item : items) assertThat(toChild.get(item)).as(item).isEqualTo(1);
  }
}
