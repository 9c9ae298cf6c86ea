package io.wavegraph.local.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.wavegraph.core.envelope.Envelope;
import io.wavegraph.core.graph.ResolvedGraph;
import io.wavegraph.core.pipeline.GraphRuntime;
import io.wavegraph.core.pipeline.Layout;
import io.wavegraph.core.pipeline.PipelineEvent;
import io.wavegraph.core.pipeline.PipelineEvent.Kind;
import io.wavegraph.core.pipeline.Ports;
import io.wavegraph.core.pipeline.StepPipeline.LeaseTerms;
import io.wavegraph.core.port.LedgerRecord;
import io.wavegraph.core.port.LedgerState;
import io.wavegraph.core.port.StepItem;
import io.wavegraph.local.DirectoryBlobStore;
import io.wavegraph.local.InProcessBus;
import io.wavegraph.local.SqliteLedger;
import io.wavegraph.testkit.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Leases on an injected clock: a live worker renews its claim and is never taken over, however
 * long it runs; a dead one's claim is taken over once its lease runs out, whatever the step's
 * timeout.
 */
class LeaseTest {
  private static final LeaseTerms FAST = new LeaseTerms(Duration.ofSeconds(60), Duration.ofMillis(20));
  @TempDir Path tmp;
  final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
  final List<PipelineEvent> events = new CopyOnWriteArrayList<>();

  @AfterEach
  void openTheGate() {
    TestSteps.RELEASE.countDown();
  }

  @Test
  void aLiveWorkerRenewsItsLeaseAndIsNeverTakenOverHoweverLongItRuns() throws Exception {
    TestSteps.RELEASE = new CountDownLatch(1);
    GraphFixture fx = new GraphFixture(tmp);
    fx.inputFile("t1.wav", "one\n");
    ResolvedGraph g = fx.graph("a: {uses: copy, timeout: 30m, params: {stubborn: true}}\n");
    StepItem key = new StepItem("a", "t1");
    try (InProcessBus bus = new InProcessBus(InProcessBus.Options.defaults().withClock(clock));
        SqliteLedger ledger = SqliteLedger.open(tmp.resolve("ledger.db"))) {
      Ports ports = new Ports(bus, DirectoryBlobStore.readOnly(fx.input), new DirectoryBlobStore(tmp.resolve("out")),
          ledger, clock);
      // Two runtimes on one ledger: two instances of the step, as two function instances are.
      GraphRuntime one = runtime(g, ports, "one");
      GraphRuntime two = runtime(g, ports, "two");
      one.publish("a", Envelope.request("t1", clock.instant()));
      await(() -> ledger.get(key).map(r -> r.state() == LedgerState.CLAIMED).orElse(false));
      String owner = ledger.get(key).orElseThrow().owner();
      for (int minute = 0; minute < 10; minute++) {
        Instant now = clock.advance(Duration.ofSeconds(50));
        // The worker renews to now + 60 s within a renewal period: it stays live.
        await(() -> ledger.get(key).orElseThrow().leaseUntil().isAfter(now.plusSeconds(30)));
      }
      two.publish("a", Envelope.request("t1", clock.instant()));
      await(() -> events.stream().anyMatch(e -> e.kind() == Kind.BUSY));
      assertThat(ledger.get(key).orElseThrow().owner()).as("500 s later, still the first worker's").isEqualTo(owner);

      TestSteps.RELEASE.countDown();
      assertThat(bus.awaitIdle(Duration.ofSeconds(30))).isTrue();
      one.close();
      two.close();
      LedgerRecord done = ledger.get(key).orElseThrow();
      assertThat(done.state()).isEqualTo(LedgerState.DONE);
      assertThat(done.owner()).isEqualTo(owner);
      assertThat(fx.runs("a", "t1")).isEqualTo(1);
      assertThat(events).noneMatch(e -> e.kind() == Kind.LOST_CLAIM);
    }
  }

  @Test
  void aDeadWorkersClaimIsTakenOverOneLeaseAfterItsLastRenewalWhateverTheTimeout() throws Exception {
    GraphFixture fx = new GraphFixture(tmp);
    fx.inputFile("t1.wav", "one\n");
    ResolvedGraph g = fx.graph("a: {uses: copy, timeout: 60m}\n");
    StepItem key = new StepItem("a", "t1");
    try (InProcessBus bus = new InProcessBus(InProcessBus.Options.defaults().withClock(clock));
        SqliteLedger ledger = SqliteLedger.open(tmp.resolve("ledger.db"))) {
      Ports ports = new Ports(bus, DirectoryBlobStore.readOnly(fx.input), new DirectoryBlobStore(tmp.resolve("out")),
          ledger, clock);
      // The worker renewed last now and died.
      ledger.claim(key, null, "fn:a:rev-1:dead0000:17", clock.instant(), FAST.lease()).orElseThrow();
      GraphRuntime rt = runtime(g, ports, "survivor");
      rt.publish("a", Envelope.request("t1", clock.instant()));
      await(() -> events.stream().filter(e -> e.kind() == Kind.BUSY).count() >= 3);
      assertThat(ledger.get(key).orElseThrow().state()).isEqualTo(LedgerState.CLAIMED);
      clock.advance(FAST.lease().plusSeconds(1));
      assertThat(bus.awaitIdle(Duration.ofSeconds(30))).isTrue();
      rt.close();
      LedgerRecord done = ledger.get(key).orElseThrow();
      assertThat(done.state()).isEqualTo(LedgerState.DONE);
      assertThat(done.owner()).startsWith("survivor:");
      assertThat(fx.runs("a", "t1")).isEqualTo(1);
    }
  }

  @Test
  void aRunWhoseClaimWasTakenOverRecordsAndPassesOnNothing() throws Exception {
    TestSteps.RELEASE = new CountDownLatch(1);
    GraphFixture fx = new GraphFixture(tmp);
    fx.inputFile("t1.wav", "one\n");
    ResolvedGraph g = fx.graph("a: {uses: copy, timeout: 30m, params: {stubborn: true}}\nb: {uses: copy, from: a}\n");
    StepItem key = new StepItem("a", "t1");
    try (InProcessBus bus = new InProcessBus(InProcessBus.Options.defaults().withClock(clock));
        SqliteLedger ledger = SqliteLedger.open(tmp.resolve("ledger.db"))) {
      Ports ports = new Ports(bus, DirectoryBlobStore.readOnly(fx.input), new DirectoryBlobStore(tmp.resolve("out")),
          ledger, clock);
      // A worker that does not get to renew (as if paused): its lease runs out under it.
      GraphRuntime rt = runtime(g, ports, "paused", new LeaseTerms(Duration.ofSeconds(60), Duration.ofSeconds(50)));
      rt.publish("a", Envelope.request("t1", clock.instant()));
      await(() -> ledger.get(key).map(r -> r.state() == LedgerState.CLAIMED).orElse(false));
      clock.advance(Duration.ofSeconds(61));
      ledger.claim(key, ledger.get(key).orElseThrow(), "elsewhere", clock.instant(), Duration.ofSeconds(60)).orElseThrow();

      TestSteps.RELEASE.countDown();
      await(() -> events.stream().anyMatch(e -> e.step().equals("a") && e.kind() == Kind.LOST_CLAIM));
      assertThat(ledger.get(key).orElseThrow().owner()).as("the new owner's claim is left alone").isEqualTo("elsewhere");
      // The delivery came back and waits on the new owner, who then dies too.
      await(() -> events.stream().filter(e -> e.step().equals("a") && e.kind() == Kind.BUSY).count() >= 2);
      assertThat(events).noneMatch(e -> e.step().equals("b"));
      clock.advance(Duration.ofSeconds(61));
      assertThat(bus.awaitIdle(Duration.ofSeconds(30))).isTrue();
      rt.close();

      LedgerRecord done = ledger.get(key).orElseThrow();
      assertThat(done.state()).isEqualTo(LedgerState.DONE);
      assertThat(done.owner()).startsWith("paused:");
      assertThat(events.stream().filter(e -> e.step().equals("a") && e.kind() == Kind.PROCESSED)).hasSize(1);
      assertThat(events.stream().filter(e -> e.step().equals("b") && e.kind() == Kind.PROCESSED))
          .as("passed on once, by the run that recorded it").hasSize(1);
    }
  }

  private GraphRuntime runtime(ResolvedGraph g, Ports ports, String owner) {
    return runtime(g, ports, owner, FAST);
  }

  private GraphRuntime runtime(ResolvedGraph g, Ports ports, String owner, LeaseTerms terms) {
    GraphRuntime rt = new GraphRuntime(g, ports, Layout.local(),
        new GraphRuntime.Settings(1, Duration.ofMillis(5), Duration.ofMillis(20), tmp.resolve("scratch-" + owner), owner),
        events::add).withLeaseTerms(terms);
    rt.start();
    return rt;
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("condition not met in 20 s");
      Thread.sleep(5);
    }
  }
}
