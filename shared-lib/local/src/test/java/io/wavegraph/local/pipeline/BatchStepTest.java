package io.wavegraph.local.pipeline;

import static io.wavegraph.core.pipeline.PipelineEvent.Kind.FAILED;
import static io.wavegraph.core.pipeline.PipelineEvent.Kind.LOST_CLAIM;
import static io.wavegraph.core.pipeline.PipelineEvent.Kind.PROCESSED;
import static io.wavegraph.core.pipeline.PipelineEvent.Kind.SKIPPED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wavegraph.core.batch.BatchJobRunner;
import io.wavegraph.core.batch.BatchManifest;
import io.wavegraph.core.envelope.Envelope;
import io.wavegraph.core.graph.ResolvedGraph;
import io.wavegraph.core.pipeline.Layout;
import io.wavegraph.core.pipeline.PipelineEvent;
import io.wavegraph.core.pipeline.Ports;
import io.wavegraph.core.port.LedgerRecord;
import io.wavegraph.core.port.LedgerState;
import io.wavegraph.core.port.StepItem;
import io.wavegraph.core.port.SubscriptionSettings;
import io.wavegraph.local.DirectoryBlobStore;
import io.wavegraph.local.EmbeddedRuntime;
import io.wavegraph.local.InProcessBus;
import io.wavegraph.local.SqliteLedger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Batch steps ({@code kind: job}) on the embedded runtime: manifests, membership, the job runner. */
class BatchStepTest {
  @TempDir Path tmp;
  GraphFixture fx;

  private static final String GRAPH = """
      a: {uses: copy}
      b: {uses: copy, from: a, kind: job, batch: {size: 3, wait: 10m}}
      c: {uses: copy, from: b}
      """;

  @BeforeEach
  void setUp() throws Exception {
    fx = new GraphFixture(tmp);
  }

  @Test
  void aBatchJobWaitsOutAClaimSomeoneElseHoldsAndTakesItOverWhenItsLeaseRunsOut() throws Exception {
    fx.inputFile("t1.wav", "one\n");
    // A batch of one seals at once, while the test still holds the clock.
    ResolvedGraph g = fx.graph(GRAPH.replace("size: 3", "size: 1"));
    io.wavegraph.testkit.ManualClock clock = new io.wavegraph.testkit.ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    fx.busOptions = InProcessBus.Options.defaults().withClock(clock);
    Files.createDirectories(fx.work);
    try (SqliteLedger ledger = SqliteLedger.open(fx.work.resolve(EmbeddedRuntime.LEDGER_FILE))) {
      // A function instance elsewhere claimed b of t1 and died.
      ledger.claim(new StepItem("b", "t1"), null, "fn:b:rev:dead0000:9", clock.instant(), Duration.ofSeconds(60));
    }
    var r = fx.run(g, rt -> {
      rt.publish("a", Envelope.request("t1", clock.instant()));
      try {
        // More waits than the step's retries allow attempts: waiting is not an attempt.
        fx.awaitEvents("b", io.wavegraph.core.pipeline.PipelineEvent.Kind.BUSY, 8);
        clock.advance(Duration.ofSeconds(61));
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    });
    assertThat(r.count("b", PROCESSED)).isEqualTo(1);
    assertThat(r.count("c", PROCESSED)).isEqualTo(1);
    assertThat(fx.record(g, "b", "t1").owner()).startsWith("job:");
    assertThat(fx.deadLetters()).isEmpty();
  }

  @Test
  void itemsRunInBatchesOfTheStepsSizeAndTheRestAtTheEnd() throws Exception {
    for (int i = 0; i < 7; i++) fx.inputFile("t" + i + ".wav", "x" + i + "\n");
    ResolvedGraph g = fx.graph(GRAPH);
    var r = fx.runAll(g, false);
    assertThat(r.count("b", PROCESSED)).isEqualTo(7);
    assertThat(r.count("c", PROCESSED)).isEqualTo(7);
    assertThat(fx.output("c", "t4")).isEqualTo("x4\na\nb\nc\n");

    List<BatchManifest> ms = manifests("b");
    // Full batches as the items came, and what was left when nothing else was to do.
    assertThat(ms).extracting(m -> m.entries().size()).containsExactlyInAnyOrder(3, 3, 1);
    Map<String, String> batchOf = new HashMap<>();
    for (BatchManifest m : ms) {
      for (BatchManifest.Entry e : m.entries()) {
        assertThat(batchOf.put(e.item(), m.batch())).as("%s in two batches", e.item()).isNull();
        assertThat(e.inputs()).singleElement().asString().endsWith("a/" + e.item() + ".txt");
        assertThat(e.envelope().item()).isEqualTo(e.item());
      }
    }
    assertThat(batchOf).hasSize(7);
    // The ledger records which batch holds which item, and that the batch finished with it.
    try (SqliteLedger ledger = SqliteLedger.open(fx.work.resolve(EmbeddedRuntime.LEDGER_FILE))) {
      for (var e : batchOf.entrySet()) {
        LedgerRecord m = ledger.get(BatchManifest.membership("b", e.getKey())).orElseThrow();
        assertThat(m.owner()).isEqualTo(e.getValue());
        assertThat(m.state()).isEqualTo(LedgerState.DONE);
      }
    }

    var again = fx.runAll(g, false);
    assertThat(again.of(PROCESSED)).isEmpty();
    assertThat(again.count("b", SKIPPED)).isEqualTo(7);
    assertThat(again.count("c", SKIPPED)).isEqualTo(7);
    assertThat(manifests("b")).as("done items are skipped before batching").hasSize(3);
  }

  @Test
  void aBatchThatDoesNotFillIsSealedAfterItsWait() throws Exception {
    for (int i = 0; i < 2; i++) fx.inputFile("t" + i + ".wav", "x" + i + "\n");
    ResolvedGraph g = fx.graph("""
        a: {uses: copy}
        b: {uses: copy, from: a, kind: job, batch: {size: 50, wait: 2s}}
        """);
    List<PipelineEvent> events = new CopyOnWriteArrayList<>();
    EmbeddedRuntime.Config config = EmbeddedRuntime.Config.of(fx.input, fx.work, 2);
    try (EmbeddedRuntime rt = EmbeddedRuntime.open(g, config, events::add)) {
      Instant sent = Instant.now();
      for (int i = 0; i < 2; i++) rt.publish("a", Envelope.request("t" + i, sent));
      // Not awaitIdle, which seals at once: the timer must seal the batch by itself.
      Instant deadline = sent.plus(Duration.ofSeconds(20));
      while (events.stream().filter(e -> e.kind() == PROCESSED && e.step().equals("b")).count() < 2) {
        assertThat(Instant.now()).as("the batch was not sealed after its wait").isBefore(deadline);
        Thread.sleep(20);
      }
      Instant processed = events.stream().filter(e -> e.kind() == PROCESSED && e.step().equals("b"))
          .map(PipelineEvent::at).min(Instant::compareTo).orElseThrow();
      assertThat(Duration.between(sent, processed)).as("held for the wait").isGreaterThanOrEqualTo(Duration.ofSeconds(2));
    }
    assertThat(manifests("b")).singleElement().satisfies(m -> assertThat(m.entries()).hasSize(2));
  }

  @Test
  void duplicateDeliveriesPutEachItemInOneBatchAndRunItOnce() throws Exception {
    fx.busOptions = InProcessBus.Options.defaults().deliveringTwice();
    for (int i = 0; i < 5; i++) fx.inputFile("t" + i + ".wav", "x" + i + "\n");
    ResolvedGraph g = fx.graph(GRAPH);
    fx.runAll(g, false);
    List<String> batched = new ArrayList<>();
    manifests("b").forEach(m -> m.entries().forEach(e -> batched.add(e.item())));
    assertThat(batched).containsExactlyInAnyOrder("t0", "t1", "t2", "t3", "t4");
    for (int i = 0; i < 5; i++) {
      assertThat(fx.runs("b", "t" + i)).isEqualTo(1);
      assertThat(fx.runs("c", "t" + i)).isEqualTo(1);
    }
  }

  @Test
  void aBadItemFailsAloneAndATransientFailureIsRetriedInTheJob() throws Exception {
    for (int i = 0; i < 4; i++) fx.inputFile("t" + i + ".wav", "x" + i + "\n");
    ResolvedGraph g = fx.graph("""
        a: {uses: copy}
        b: {uses: copy, from: a, kind: job, retries: 2, params: {bad: t2, fail_times: 1}, batch: {size: 4, wait: 10m}}
        c: {uses: copy, from: b}
        """);
    var r = fx.runAll(g, false);
    assertThat(r.count("b", PROCESSED)).isEqualTo(3);
    assertThat(r.of(FAILED)).singleElement().satisfies(e -> {
      assertThat(e.item()).isEqualTo("t2");
      assertThat(e.detail()).contains("this item is bad");
    });
    assertThat(r.count("c", PROCESSED)).isEqualTo(3);
    assertThat(fx.attempts("b", "t0")).isEqualTo(2);
    assertThat(fx.record(g, "b", "t2").state()).isEqualTo(LedgerState.FAILED);
    assertThat(fx.deadLetters()).singleElement().asString().contains("t2");
  }

  @Test
  void forceRedoesEachItemOnceInANewBatch() throws Exception {
    for (int i = 0; i < 3; i++) fx.inputFile("t" + i + ".wav", "x" + i + "\n");
    ResolvedGraph g = fx.graph(GRAPH);
    fx.runAll(g, false);
    var forced = fx.run(g, rt -> {
      for (int i = 0; i < 3; i++) rt.publish("b", Envelope.request("t" + i, Instant.now()).withForce(true));
    });
    assertThat(forced.count("b", PROCESSED)).isEqualTo(3);
    assertThat(forced.count("c", PROCESSED)).isEqualTo(3);
    assertThat(fx.runs("a", "t0")).isEqualTo(1);
    assertThat(fx.runs("b", "t0")).isEqualTo(2);
    assertThat(manifests("b")).hasSize(2);
  }

  // The job runner on its own: what a Cloud Run task does with its shard.

  @Test
  void tasksTakeDisjointShardsThatCoverTheManifest() throws Exception {
    ResolvedGraph g = prepared(10);
    BatchManifest m = manifest(g, "batch-1", 10);
    List<PipelineEvent> events = new CopyOnWriteArrayList<>();
    try (Job job = new Job(g, events)) {
      int processed = 0;
      for (int task = 0; task < 3; task++) {
        BatchJobRunner.Summary s = job.runner.run(m, task, 3);
        assertThat(s.entries()).isEqualTo(task == 0 ? 4 : 3);
        assertThat(s.complete()).isTrue();
        processed += s.processed();
      }
      assertThat(processed).isEqualTo(10);
    }
    for (int i = 0; i < 10; i++) assertThat(fx.runs("b", "t" + i)).isEqualTo(1);
    // Results were passed on: each child request is on c's topic.
    assertThat(events.stream().filter(e -> e.kind() == PROCESSED && e.step().equals("b")).count()).isEqualTo(10);
  }

  @Test
  void aRetriedTaskResumesTakingOverItsOwnClaimsAndSkippingFinishedItems() throws Exception {
    ResolvedGraph g = prepared(4);
    BatchManifest m = manifest(g, "batch-r", 4);
    List<PipelineEvent> events = new CopyOnWriteArrayList<>();
    try (Job job = new Job(g, events)) {
      // The first attempt finished t0, then died holding t1 (a live lease, as a killed task leaves it).
      job.runner.run(new BatchManifest(m.graph(), m.step(), m.batch(), m.entries().subList(0, 1)), 0, 1);
      Instant now = Instant.now();
      job.ledger.claim(BatchManifest.membership("b", "t1"), null, "batch-r", now, Duration.ofHours(1));
      job.ledger.claim(new StepItem("b", "t1"), null, "job:batch-r:t1", now, Duration.ofHours(1));
      events.clear();

      BatchJobRunner.Summary s = job.runner.run(m, 0, 1);
      assertThat(s.finishedBefore()).isEqualTo(1);
      assertThat(s.processed()).isEqualTo(3);
      assertThat(s.complete()).isTrue();
    }
    assertThat(events).noneMatch(e -> e.kind() == LOST_CLAIM);
    for (int i = 0; i < 4; i++) assertThat(fx.runs("b", "t" + i)).as("t" + i).isEqualTo(1);
  }

  @Test
  void anItemHeldByAnotherLiveBatchIsLeftToIt() throws Exception {
    ResolvedGraph g = prepared(3);
    BatchManifest m = manifest(g, "batch-2", 3);
    try (Job job = new Job(g, new CopyOnWriteArrayList<>())) {
      job.ledger.claim(BatchManifest.membership("b", "t1"), null, "batch-1", Instant.now(), Duration.ofHours(1));
      BatchJobRunner.Summary s = job.runner.run(m, 0, 1);
      assertThat(s.heldElsewhere()).isEqualTo(1);
      assertThat(s.processed()).isEqualTo(2);
    }
    assertThat(fx.runs("b", "t1")).isZero();
  }

  @Test
  void aForcedRequestForAnItemAnotherBatchHoldsIsRunAnyway() throws Exception {
    ResolvedGraph g = prepared(2);
    Instant asked = Instant.now();
    BatchManifest m = new BatchManifest(g.graph().name(), "b", "batch-3", List.of(
        new BatchManifest.Entry("t0", List.of(), Envelope.request("t0", asked)),
        new BatchManifest.Entry("t1", List.of(), Envelope.request("t1", asked).withForce(true))));
    try (Job job = new Job(g, new CopyOnWriteArrayList<>())) {
      for (String item : List.of("t0", "t1")) {
        job.ledger.claim(BatchManifest.membership("b", item), null, "batch-1", Instant.now(), Duration.ofHours(1));
      }
      BatchJobRunner.Summary s = job.runner.run(m, 0, 1);
      // The plain request is the other batch's to answer; the forced one may not be answered by it.
      assertThat(s.heldElsewhere()).isEqualTo(1);
      assertThat(s.processed()).isEqualTo(1);
      assertThat(job.ledger.get(BatchManifest.membership("b", "t1")).orElseThrow().owner()).isEqualTo("batch-1");
    }
    assertThat(fx.runs("b", "t0")).isZero();
    assertThat(fx.runs("b", "t1")).isEqualTo(1);
  }

  @Test
  void theCollectorKeepsOneEntryPerItemAndNeverDropsAForce() throws Exception {
    ResolvedGraph g = prepared(2);
    List<BatchManifest> launched = new ArrayList<>();
    try (Job job = new Job(g, new CopyOnWriteArrayList<>());
        var pipeline = new io.wavegraph.core.pipeline.StepPipeline(g, "b", job.ports, Layout.local(),
            e -> {}, java.util.concurrent.Executors.newCachedThreadPool(), tmp.resolve("s"), "test")) {
      var collector = new io.wavegraph.core.batch.BatchCollector(g.graph().name(), g.graph().step("b"), pipeline,
          job.ports, launched::add, e -> {});
      Instant now = Instant.now();
      int n = 0;
      for (Envelope e : List.of(Envelope.request("t0", now).withForce(true), Envelope.request("t0", now),
          Envelope.request("t1", now), Envelope.request("t1", now).withForce(true))) {
        var d = new io.wavegraph.core.port.Delivery("m" + n++, io.wavegraph.core.envelope.EnvelopeCodec.encode(e), 1, now);
        assertThat(collector.handle(d)).isEqualTo(io.wavegraph.core.port.Ack.ACK);
      }
      assertThat(collector.openItems()).isEqualTo(2);
      assertThat(collector.flush()).isTrue();
      assertThat(launched).singleElement().satisfies(m -> {
        assertThat(m.entries()).extracting(BatchManifest.Entry::item).containsExactly("t0", "t1");
        assertThat(m.entries()).allSatisfy(e -> assertThat(e.envelope().force()).as(e.item()).isTrue());
      });
      assertThat(job.ports.output().stat(launched.get(0).key())).as("written before it was launched").isPresent();
      assertThat(job.ledger.get(BatchManifest.membership("b", "t0")).orElseThrow().owner()).isEqualTo(launched.get(0).batch());
    }
  }

  @Test
  void aManifestForAnotherStepIsRefusedAndABadOneIsNamed() throws Exception {
    ResolvedGraph g = prepared(1);
    BatchManifest other = new BatchManifest(g.graph().name(), "c", "x", List.of());
    try (Job job = new Job(g, new CopyOnWriteArrayList<>())) {
      assertThatThrownBy(() -> job.runner.run(other, 0, 1)).hasMessageContaining("is for step 'c'");
      assertThatThrownBy(() -> job.runner.run(manifest(g, "y", 1), 2, 2)).hasMessageContaining("task 2 of 2");
    }
    assertThatThrownBy(() -> BatchManifest.parse("{\"schema\": \"v0\"}".getBytes(), "gs://b/m.json", Instant.now()))
        .hasMessage("gs://b/m.json: schema is 'v0', expected 'wavegraph.batch-manifest/v1'");
    String noEnvelope = """
        {"schema": "wavegraph.batch-manifest/v1", "graph": "g", "step": "b", "batch": "x",
         "entries": [{"item": "t1", "inputs": []}]}""";
    assertThatThrownBy(() -> BatchManifest.parse(noEnvelope.getBytes(), "gs://b/m.json", Instant.now()))
        .hasMessage("gs://b/m.json: entries[0]: 'envelope' must be an object");
  }

  @Test
  void aManifestReadsBackAsWrittenAndListsARepeatedItemOnce() throws Exception {
    ResolvedGraph g = prepared(2);
    BatchManifest m = manifest(g, "rt", 2);
    BatchManifest back = BatchManifest.parse(m.toJson(), "m", Instant.now());
    assertThat(back).isEqualTo(m);
    String twice = new String(m.toJson()).replace("\"t1\"", "\"t0\"");
    assertThat(BatchManifest.parse(twice.getBytes(), "m", Instant.now()).entries()).hasSize(1);
  }

  /** Runs a over {@code n} items (no batch step yet), so b's inputs exist. */
  private ResolvedGraph prepared(int n) throws Exception {
    for (int i = 0; i < n; i++) fx.inputFile("t" + i + ".wav", "x" + i + "\n");
    fx.runAll(fx.graph("a: {uses: copy}\n"), false);
    return fx.graph(GRAPH);
  }

  private BatchManifest manifest(ResolvedGraph g, String batch, int n) {
    List<BatchManifest.Entry> entries = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      entries.add(new BatchManifest.Entry("t" + i, List.of(), Envelope.request("t" + i, Instant.now())));
    }
    return new BatchManifest(g.graph().name(), "b", batch, entries);
  }

  private List<BatchManifest> manifests(String step) throws Exception {
    Path dir = fx.work.resolve("outputs").resolve(BatchManifest.PREFIX + step);
    List<BatchManifest> out = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path f : s.filter(p -> p.toString().endsWith(".json")).toList()) {
        out.add(BatchManifest.parse(Files.readAllBytes(f), f.toString(), Instant.now()));
      }
    }
    return out;
  }

  /** A job runner on the fixture's work directory, as a Cloud Run task would have it. */
  private final class Job implements AutoCloseable {
    final SqliteLedger ledger;
    final InProcessBus bus = new InProcessBus(InProcessBus.Options.defaults());
    final BatchJobRunner runner;
    final Ports ports;

    Job(ResolvedGraph g, List<PipelineEvent> events) throws Exception {
      ledger = SqliteLedger.open(fx.work.resolve(EmbeddedRuntime.LEDGER_FILE));
      for (String s : List.of("a", "b", "c")) bus.createTopic(s);
      for (String s : List.of("a", "b", "c")) bus.createTopic(s + "-dead-letter");
      bus.subscribe("c", "c-listen", SubscriptionSettings.defaults(), d -> io.wavegraph.core.port.Ack.ACK);
      ports = new Ports(bus, DirectoryBlobStore.readOnly(fx.input),
          new DirectoryBlobStore(fx.work.resolve(EmbeddedRuntime.OUTPUTS_DIR)), ledger, Clock.systemUTC());
      runner = new BatchJobRunner(g, "b", ports, Layout.local(),
          new BatchJobRunner.Settings(2, Duration.ofMillis(10), Duration.ofMillis(50), tmp.resolve("scratch")), events::add);
    }

    @Override
    public void close() {
      bus.close();
      ledger.close();
    }
  }
}
