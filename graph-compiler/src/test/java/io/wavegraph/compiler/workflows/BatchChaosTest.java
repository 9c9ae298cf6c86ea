package io.wavegraph.compiler.workflows;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.FirestoreOptions;
import io.wavegraph.compiler.GraphCompiler;
import io.wavegraph.core.envelope.Envelope;
import io.wavegraph.core.envelope.EnvelopeCodec;
import io.wavegraph.core.graph.GraphParser;
import io.wavegraph.core.graph.ResolvedGraph;
import io.wavegraph.core.port.LedgerRecord;
import io.wavegraph.core.port.LedgerState;
import io.wavegraph.core.port.StepItem;
import io.wavegraph.core.port.SubscriptionSettings;
import io.wavegraph.core.step.StepFactory;
import io.wavegraph.gcp.Backoff;
import io.wavegraph.gcp.Emulator;
import io.wavegraph.gcp.EmulatorRuntime;
import io.wavegraph.gcp.FirestoreLedger;
import io.wavegraph.gcp.PubSubBus;
import io.wavegraph.testkit.FakeGcsServer;
import io.wavegraph.testkit.Skips;
import io.wavegraph.testkit.TestAudio;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chaos suite's batch path (issue 11 item 7): the compiled batch workflow, interpreted against
 * the emulators ({@link EmulatorGoogleApis}), runs the job's tasks each in its own process
 * ({@code io.wavegraph.functions.ChaosJobTask}: {@code BatchJobMain} as the job image runs it);
 * the first task of the first job is killed with SIGKILL as soon as it has finished one item of
 * its shard (mid-manifest), and every request is published twice. Executions are started again,
 * as Cloud Scheduler would, until the subscription is empty (bounded). Then no item may be
 * stranded, no step body may have run twice, every output must equal the embedded runtime's, and
 * nothing may be dead-lettered.
 */
class BatchChaosTest {
  private static final String PROJECT = "wavegraph-batch-chaos";
  private static final String GRAPH = """
      name: bc
      gcp: {project: wavegraph-batch-chaos, region: europe-west1}
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
          retries: 2
          batch: {size: 8, wait: 1m, tasks: 2}
        loudness:
          uses: loudness
          from: [resample]
      """;
  private static final int ITEMS = 8;

  @TempDir Path tmp;

  @Test
  void aJobTaskKilledMidManifestAndDuplicatedRequestsStrandNothingAndRunNothingTwice() throws Exception {
    Skips.unless(BatchChaosTest.class, EmulatorRuntime.whyUnavailable(Map.of()));
    Path graphFile = Files.writeString(tmp.resolve("bc.yaml"), GRAPH);
    ResolvedGraph g = new GraphParser(StepFactory.fromClassPath(getClass().getClassLoader())).parse(graphFile);
    Map<String, String> files = new GraphCompiler().compile(g).files();
    String workflow = files.get("workflows/bc-batch-resample.yaml");
    String config = files.get("functions/resample.json");

    // The clean run: the embedded runtime on the same inputs; its downsample outputs are the job's inputs.
    Path raw = Files.createDirectories(tmp.resolve("raw/tracks"));
    List<String> items = new ArrayList<>();
    for (int i = 0; i < ITEMS; i++) {
      Files.write(raw.resolve("b" + i + ".wav"), TestAudio.sineWav(250 + 40 * i));
      items.add("tracks/b" + i);
    }
    Path clean = tmp.resolve("clean");
    assertThat(io.wavegraph.cli.Main.execute("run", graphFile.toString(), "--input", tmp.resolve("raw").toString(),
        "--workdir", clean.toString(), "--threads", "2")).as("the clean run").isZero();

    Path log = tmp.resolve("completed.log");
    Map<String, Integer> toChild = new ConcurrentHashMap<>();
    Map<String, Integer> deadLettered = new ConcurrentHashMap<>();
    try (Emulator pubsub = Emulator.start(Emulator.Kind.PUBSUB, "256m", Duration.ofSeconds(60));
        Emulator firestore = Emulator.start(Emulator.Kind.FIRESTORE, "256m", Duration.ofSeconds(60));
        FakeGcsServer gcs = FakeGcsServer.start();
        Firestore db = FirestoreOptions.newBuilder().setProjectId(PROJECT).setDatabaseId("bc-ledger")
            .setEmulatorHost(firestore.host()).build().getService();
        PubSubBus bus = PubSubBus.forEmulator(pubsub.host(), PROJECT)) {
      for (String t : List.of("bc-resample", "bc-resample-admitted", "bc-loudness", "bc-downsample", "bc-resample-dead-letter")) bus.createTopic(t);
      bus.subscribe("bc-loudness", "child-watch", SubscriptionSettings.defaults(), d -> BatchWorkflowEmulatorTest.count(toChild, d.message().data()));
      bus.subscribe("bc-resample-dead-letter", "dead-watch", SubscriptionSettings.defaults(),
          d -> BatchWorkflowEmulatorTest.count(deadLettered, d.message().data()));
      VirtualClock clock = VirtualClock.manual(Instant.now());
      AtomicBoolean killNext = new AtomicBoolean(true);
      List<String> kills = new ArrayList<>();
      try (EmulatorGoogleApis cloud = new EmulatorGoogleApis(clock, pubsub.host(), gcs, db, manifest -> {
        Map<String, String> env = new HashMap<>();
        env.put("WAVEGRAPH_CONFIG", config);
        env.put("WAVEGRAPH_MANIFEST", manifest);
        env.put("GOOGLE_CLOUD_PROJECT", PROJECT);
        env.put("PUBSUB_EMULATOR_HOST", pubsub.host());
        env.put("FIRESTORE_EMULATOR_HOST", firestore.host());
        env.put("STORAGE_EMULATOR_HOST", gcs.endpoint());
        env.put("WAVEGRAPH_JOB_PARALLELISM", "1");
        env.put("WAVEGRAPH_CHAOS_LOG", log.toString());
        return env;
      })) {
        cloud.tasks = (env, err) -> runTask(env, log, killNext.getAndSet(false) ? kills : null);
        // The workflow gathers what the step's admission function forwarded (ADR 0010); the
        // requests are published there directly, each twice, as a duplicating admission would.
        assertThat(workflow).contains("/subscriptions/bc-resample-admitted\"");
        cloud.createPullSubscription("projects/" + PROJECT + "/subscriptions/bc-resample-admitted",
            "projects/" + PROJECT + "/topics/bc-resample-admitted");
        for (String item : items) {
          gcs.putObject("features", "downsample/" + item + ".wav", Files.readAllBytes(clean.resolve("outputs/downsample/" + item + ".wav")));
          for (int copy = 0; copy < 2; copy++) bus.publish("bc-resample-admitted", EnvelopeCodec.encode(Envelope.request(item, Instant.now())));
        }

        // Executions until one finds nothing to do, as the scheduler starts them; bounded.
        int executions = 0;
        List<String> failures = new ArrayList<>();
        while (executions < 12) {
          executions++;
          try {
            Map<String, Object> out = run(workflow, clock, cloud, "exec-" + executions);
            if (Long.valueOf(0).equals(out.get("items"))) break;
          } catch (WorkflowError e) {
            failures.add(e.getMessage()); // the killed task's job: its items go to the next execution
          }
        }
        assertThat(kills).as("a task was killed mid-manifest").hasSize(1);
        assertThat(failures).as("the job with the killed task failed").isNotEmpty();

        FirestoreLedger ledger = new FirestoreLedger(db, "ledger", FirestoreLedger.RETENTION, Backoff.defaults(), false);
        List<String> stranded = new ArrayList<>();
        for (String item : items) {
          LedgerRecord r = ledger.get(new StepItem("resample", item)).orElse(null);
          if (r == null || r.state() != LedgerState.DONE) stranded.add(item + " " + (r == null ? "no record" : r.state() + " " + r.error()));
        }
        Map<String, Integer> runs = new HashMap<>();
        for (String line : Files.exists(log) ? Files.readAllLines(log, UTF_8) : List.<String>of()) {
          String[] f = line.split(" ");
          if (f[0].equals("PROCESSED")) runs.merge(f[2], 1, Integer::sum);
        }
        List<String> mismatched = new ArrayList<>();
        for (String item : items) {
          byte[] want = Files.readAllBytes(clean.resolve("outputs/resample/" + item + ".wav"));
          if (!gcs.object("features", "resample/" + item + ".wav").map(b -> Arrays.equals(b, want)).orElse(false)) {
            mismatched.add(item);
          }
        }
        long end = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (toChild.size() < items.size() && System.nanoTime() < end) Thread.sleep(50); // a real subscriber
        System.out.printf("CHAOS batch {\"items\": %d, \"kills\": %d, \"stranded\": %d, \"double_runs\": %d, "
            + "\"outputs_match\": %s, \"dead_letters\": %d, \"executions\": %d, \"runs_per_item\": %.2f}%n",
            items.size(), kills.size(), stranded.size(),
            runs.values().stream().mapToInt(n -> n - 1).sum(), mismatched.isEmpty(), deadLettered.size(), executions,
            runs.values().stream().mapToInt(Integer::intValue).sum() / (double) items.size());
        assertThat(stranded).as("stranded items").isEmpty();
        assertThat(runs).as("step bodies completed per item").hasSize(items.size()).allSatisfy((item, n) -> assertThat(n).as(item).isEqualTo(1));
        assertThat(mismatched).as("outputs that differ from the clean run").isEmpty();
        assertThat(deadLettered).as("dead letters").isEmpty();
        assertThat(toChild.keySet()).as("passed on").containsExactlyInAnyOrderElementsOf(items);
      }
    }
  }

  /**
   * One task in its own process. With {@code kills} given, it is killed (SIGKILL) as soon as it has
   * finished one item: exit 137, as Cloud Run reports a killed container.
   */
  private static int runTask(Map<String, String> env, Path log, List<String> kills) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
        "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), "io.wavegraph.functions.ChaosJobTask");
    pb.environment().putAll(env);
    pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
    try {
      Process p = pb.start();
      String pid = Long.toString(p.pid());
      if (kills != null) {
        long end = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (p.isAlive() && System.nanoTime() < end) {
          if (Files.exists(log) && Files.readAllLines(log, UTF_8).stream().anyMatch(l -> l.endsWith(" " + pid))) {
            p.destroyForcibly();
            kills.add("task " + env.get("CLOUD_RUN_TASK_INDEX") + " pid " + pid);
            break;
          }
          Thread.sleep(20); // polls a file another process writes
        }
      }
      if (!p.waitFor(300, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return 124;
      }
      return p.exitValue();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> run(String workflow, VirtualClock clock, EmulatorGoogleApis cloud, String id) {
    StandardLibrary stdlib = new StandardLibrary(clock, Map.of("GOOGLE_CLOUD_PROJECT_ID", PROJECT,
        "GOOGLE_CLOUD_LOCATION", "europe-west1", "GOOGLE_CLOUD_WORKFLOW_EXECUTION_ID", id));
    return (Map<String, Object>) new WorkflowInterpreter(workflow, stdlib, cloud).run(null);
  }
}
