package io.wavegraph.local.pipeline;

import static io.wavegraph.core.pipeline.PipelineEvent.Kind.DROPPED;
import static io.wavegraph.core.pipeline.PipelineEvent.Kind.FAILED;
import static io.wavegraph.core.pipeline.PipelineEvent.Kind.INVALID;
import static io.wavegraph.core.pipeline.PipelineEvent.Kind.BUSY;
import static io.wavegraph.core.pipeline.PipelineEvent.Kind.PING;
import static io.wavegraph.core.pipeline.PipelineEvent.Kind.PROCESSED;
import static io.wavegraph.core.pipeline.PipelineEvent.Kind.REQUESTED;
import static io.wavegraph.core.pipeline.PipelineEvent.Kind.RETRYING;
import static io.wavegraph.core.pipeline.PipelineEvent.Kind.SKIPPED;
import static io.wavegraph.core.pipeline.PipelineEvent.Kind.WAITING;
import static org.assertj.core.api.Assertions.assertThat;

import io.wavegraph.core.envelope.Envelope;
import io.wavegraph.core.envelope.Recipients;
import io.wavegraph.core.graph.ResolvedGraph;
import io.wavegraph.core.port.LedgerState;
import io.wavegraph.core.port.Message;
import io.wavegraph.core.port.StepItem;
import io.wavegraph.local.InProcessBus;
import io.wavegraph.local.SqliteLedger;
import io.wavegraph.testkit.ManualClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every stage of the step pipeline, on the embedded runtime with real test steps. */
class StepPipelineTest {
  @TempDir Path tmp;
  GraphFixture fx;

  private static final String CHAIN = """
      a: {uses: copy}
      b: {uses: copy, from: a}
      c: {uses: copy, from: a}
      """;

  @BeforeEach
  void setUp() throws Exception {
    fx = new GraphFixture(tmp);
  }

  @Test
  void topDownRunMakesEveryOutputFromItsParent() throws Exception {
    fx.inputFile("t1.wav", "one\n");
    fx.inputFile("dir/t2.flac", "two\n");
    ResolvedGraph g = fx.graph(CHAIN);
    var r = fx.runAll(g, false);
    assertThat(r.count("a", PROCESSED)).isEqualTo(2);
    assertThat(r.count("b", PROCESSED)).isEqualTo(2);
    assertThat(r.count("c", PROCESSED)).isEqualTo(2);
    assertThat(fx.output("b", "dir/t2")).isEqualTo("two\na\nb\n");
    assertThat(fx.record(g, "b", "t1").state()).isEqualTo(LedgerState.DONE);
    assertThat(fx.record(g, "b", "t1").outputs().values()).singleElement().asString().startsWith("sha256:");
  }

  @Test
  void aSecondRunSkipsEverythingButStillPassesOn() throws Exception {
    fx.inputFile("t1.wav", "one\n");
    ResolvedGraph g = fx.graph(CHAIN);
    fx.runAll(g, false);
    var again = fx.runAll(g, false);
    assertThat(again.of(PROCESSED)).isEmpty();
    // Children still heard about the item: the skip passes on.
    assertThat(again.count("a", SKIPPED)).isEqualTo(1);
    assertThat(again.count("b", SKIPPED)).isEqualTo(1);
    assertThat(again.count("c", SKIPPED)).isEqualTo(1);
    assertThat(fx.runs("a", "t1")).isEqualTo(1);
  }

  @Test
  void forceRedoesEachStepOnceEvenAtAJoin() throws Exception {
    fx.inputFile("t1.wav", "one\n");
    ResolvedGraph g = fx.graph(CHAIN + "j: {uses: join, from: [b, c]}\n");
    fx.runAll(g, false);
    assertThat(fx.runs("j", "t1")).isEqualTo(1);
    var forced = fx.runAll(g, true);
    assertThat(forced.count("a", PROCESSED)).isEqualTo(1);
    assertThat(fx.runs("a", "t1")).isEqualTo(2);
    assertThat(fx.runs("b", "t1")).isEqualTo(2);
    assertThat(fx.runs("j", "t1")).isEqualTo(2);
    assertThat(fx.output("j", "t1")).isEqualTo("one\na\nb\none\na\nc\nj\n");
  }

  @Test
  void aForcedRequestAtAMiddleStepRedoesItAndItsDescendantsOnly() throws Exception {
    fx.inputFile("t1.wav", "one\n");
    ResolvedGraph g = fx.graph(CHAIN + "d: {uses: copy, from: b}\nj: {uses: join, from: [b, c]}\n");
    fx.runAll(g, false);
    var r = fx.run(g, rt -> rt.publish("b", Envelope.request("t1", Instant.now()).withForce(true)));
    assertThat(r.of(PROCESSED)).extracting(e -> e.step()).containsExactlyInAnyOrder("b", "d", "j");
    assertThat(fx.runs("a", "t1")).isEqualTo(1);
    assertThat(fx.runs("c", "t1")).isEqualTo(1);
    assertThat(fx.runs("b", "t1")).isEqualTo(2);
    assertThat(fx.runs("j", "t1")).isEqualTo(2);
  }

  @Test
  void aJoinRunsOnceWhenBothParentsAreDone() throws Exception {
    for (int i = 0; i < 6; i++) fx.inputFile("t" + i + ".wav", "x" + i + "\n");
    ResolvedGraph g = fx.graph(CHAIN + "j: {uses: join, from: [b, c]}\n");
    fx.runAll(g, false);
    for (int i = 0; i < 6; i++) {
      assertThat(fx.runs("j", "t" + i)).isEqualTo(1);
      assertThat(fx.output("j", "t" + i)).isEqualTo("x" + i + "\na\nb\nx" + i + "\na\nc\nj\n");
    }
  }

  @Test
  void changingAParameterRedoesThatStepAndItsDescendantsOnly() throws Exception {
    fx.inputFile("t1.wav", "one\n");
    fx.runAll(fx.graph(CHAIN + "d: {uses: copy, from: b}\n"), false);
    ResolvedGraph changed = fx.graph("""
        a: {uses: copy}
        b: {uses: copy, from: a, params: {tag: v2}}
        c: {uses: copy, from: a}
        d: {uses: copy, from: b}
        """);
    var r = fx.runAll(changed, false);
    assertThat(r.count("a", SKIPPED)).isEqualTo(1);
    assertThat(r.count("c", SKIPPED)).isEqualTo(1);
    assertThat(r.count("b", PROCESSED)).isEqualTo(1);
    assertThat(r.count("d", PROCESSED)).isEqualTo(1);
    assertThat(fx.runs("a", "t1")).isEqualTo(1);
    assertThat(fx.runs("c", "t1")).isEqualTo(1);
  }

  @Test
  void replacingAnInputRedoesThatItemOnly() throws Exception {
    fx.inputFile("t1.wav", "one\n");
    fx.inputFile("t2.wav", "two\n");
    ResolvedGraph g = fx.graph(CHAIN);
    fx.runAll(g, false);
    fx.inputFile("t2.wav", "TWO, remastered\n");
    var r = fx.runAll(g, false);
    assertThat(r.of(PROCESSED)).extracting(e -> e.step() + ":" + e.item())
        .containsExactlyInAnyOrder("a:t2", "b:t2", "c:t2");
    assertThat(fx.output("b", "t2")).isEqualTo("TWO, remastered\na\nb\n");
  }

  @Test
  void aMissingIntermediateIsMadeBottomUpForThatItemOnly() throws Exception {
    fx.inputFile("t1.wav", "one\n");
    fx.inputFile("t2.wav", "two\n");
    ResolvedGraph g = fx.graph(CHAIN + "d: {uses: copy, from: b}\n");
    fx.runAll(g, false);
    Files.delete(fx.outputPath("b", "t1"));
    var r = fx.run(g, rt -> rt.publish("d", Envelope.request("t1", Instant.now())));
    assertThat(r.of(REQUESTED)).extracting(e -> e.step() + "->" + e.detail()).containsExactly("d->b");
    assertThat(r.of(PROCESSED)).extracting(e -> e.step() + ":" + e.item()).containsExactly("b:t1", "d:t1");
    assertThat(fx.runs("a", "t1")).isEqualTo(1);
    assertThat(fx.runs("c", "t1")).isEqualTo(1);
    assertThat(fx.runs("b", "t2")).isEqualTo(1);
    assertThat(fx.output("d", "t1")).isEqualTo("one\na\nb\nd\n");
  }

  @Test
  void bottomUpClimbsSeveralLevelsAndRoutesBackAlongThePath() throws Exception {
    fx.inputFile("t1.wav", "one\n");
    ResolvedGraph g = fx.graph(CHAIN + "d: {uses: copy, from: b}\n");
    // Nothing was run yet: asking the leaf makes a, then b, then d, and never c.
    var r = fx.run(g, rt -> rt.publish("d", Envelope.request("t1", Instant.now())));
    assertThat(r.of(PROCESSED)).extracting(e -> e.step()).containsExactly("a", "b", "d");
    assertThat(fx.runs("c", "t1")).isZero();
  }

  @Test
  void aJoinAsksOnlyForTheMissingParent() throws Exception {
    fx.inputFile("t1.wav", "one\n");
    ResolvedGraph g = fx.graph(CHAIN + "j: {uses: join, from: [b, c]}\n");
    fx.runAll(g, false);
    Files.delete(fx.outputPath("c", "t1"));
    Files.delete(fx.outputPath("j", "t1"));
    var r = fx.run(g, rt -> rt.publish("j", Envelope.request("t1", Instant.now())));
    assertThat(r.of(REQUESTED)).extracting(e -> e.detail()).containsExactly("c");
    assertThat(r.of(PROCESSED)).extracting(e -> e.step()).containsExactly("c", "j");
    assertThat(fx.runs("b", "t1")).isEqualTo(1);
  }

  @Test
  void anInvalidEnvelopeIsDeadLetteredWithItsReason() throws Exception {
    ResolvedGraph g = fx.graph(CHAIN);
    var r = fx.run(g, rt -> rt.bus().publish(rt.layout().topic("a"),
        new Message("{\"item\":\"../../etc/passwd\"}".getBytes(StandardCharsets.UTF_8), Map.of())));
    assertThat(r.of(INVALID)).singleElement().extracting(e -> e.detail()).asString().contains("'..' segment");
    assertThat(fx.deadLetters()).singleElement().asString()
        .contains("\"step\":\"a\"").contains("invalid envelope").contains("'..' segment");
  }

  @Test
  void aStepThatIsNotARecipientDropsTheMessage() throws Exception {
    fx.inputFile("t1.wav", "one\n");
    ResolvedGraph g = fx.graph(CHAIN);
    var r = fx.run(g, rt -> rt.publish("a",
        Envelope.request("t1", Instant.now()).withRecipients(Recipients.only(List.of("b")))));
    assertThat(r.count("a", DROPPED)).isEqualTo(1);
    assertThat(r.of(PROCESSED)).isEmpty();
    assertThat(fx.record(g, "a", "t1")).isNull();
  }

  @Test
  void recipientsLimitWhichChildrenGoOn() throws Exception {
    fx.inputFile("t1.wav", "one\n");
    ResolvedGraph g = fx.graph(CHAIN);
    var r = fx.run(g, rt -> rt.publish("a",
        Envelope.request("t1", Instant.now()).withRecipients(Recipients.only(List.of("a", "c")))));
    assertThat(r.of(PROCESSED)).extracting(e -> e.step()).containsExactlyInAnyOrder("a", "c");
    assertThat(fx.runs("b", "t1")).isZero();
  }

  @Test
  void aPingDoesNoWorkButTravelsToEveryChild() throws Exception {
    fx.inputFile("t1.wav", "one\n");
    ResolvedGraph g = fx.graph(CHAIN);
    var r = fx.run(g, rt -> rt.publish("a", Envelope.request("t1", Instant.now()).withPing(true)));
    assertThat(r.of(PING)).extracting(e -> e.step()).containsExactlyInAnyOrder("a", "b", "c");
    assertThat(r.of(PROCESSED)).isEmpty();
    assertThat(fx.runs("a", "t1")).isZero();
    var rec = fx.record(g, "b", "t1");
    assertThat(rec.pinged()).isNotNull();
    assertThat(rec.state()).isNull();
  }

  @Test
  void aLiveClaimOfSomeoneElseBringsTheMessageBackUntilItExpiresThenIsTakenOver() throws Exception {
    fx.inputFile("t1.wav", "one\n");
    // b fails its first run once: the retry it gets proves that waiting used none of its retries.
    ResolvedGraph g = fx.graph("a: {uses: copy}\nb: {uses: copy, from: a, retries: 2, params: {fail_times: 1}}\n"
        + "c: {uses: copy, from: a}\n");
    ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    fx.busOptions = InProcessBus.Options.defaults().withClock(clock);
    Files.createDirectories(fx.work);
    try (SqliteLedger ledger = SqliteLedger.open(fx.work.resolve("ledger.db"))) {
      // A worker elsewhere claimed b and died: the runtime cannot know it is dead, so it waits.
      ledger.claim(new StepItem("b", "t1"), null, "elsewhere", clock.instant(), Duration.ofMinutes(2));
    }
    var r = fx.run(g, rt -> {
      rt.publish("a", Envelope.request("t1", clock.instant()));
      try {
        fx.awaitEvents("b", BUSY, 6);
        assertThat(rt.outstanding()).as("the delivery to b is not dropped").isPositive();
        assertThat(fx.runs("b", "t1")).isZero();
        clock.advance(Duration.ofMinutes(2).plusSeconds(1));
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    });
    assertThat(r.count("a", PROCESSED)).isEqualTo(1);
    assertThat(r.count("b", PROCESSED)).isEqualTo(1);
    assertThat(r.count("b", RETRYING)).isEqualTo(1);
    assertThat(r.count("c", PROCESSED)).isEqualTo(1);
    assertThat(fx.runs("b", "t1")).isEqualTo(1);
    var rec = fx.record(g, "b", "t1");
    assertThat(rec.state()).isEqualTo(LedgerState.DONE);
    assertThat(rec.owner()).startsWith("local:");
    // The dead worker's claim, the takeover, its retry: six deliveries that waited are not attempts.
    assertThat(rec.attempts()).isEqualTo(3);
    assertThat(fx.deadLetters()).as("waiting never uses up the retries").isEmpty();
  }

  @Test
  void aJoinWaitsForAParentThatSomeoneElseHoldsAndFinishesAfterItsLeaseRunsOut() throws Exception {
    fx.inputFile("t1.wav", "one\n");
    ResolvedGraph g = fx.graph(CHAIN + "j: {uses: join, from: [b, c]}\n");
    ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    fx.busOptions = InProcessBus.Options.defaults().withClock(clock);
    var r = fx.run(g, rt -> {
      rt.ledger().claim(new StepItem("b", "t1"), null, "elsewhere", clock.instant(), Duration.ofMinutes(2));
      rt.publish("j", Envelope.request("t1", clock.instant()));
      try {
        fx.awaitEvents("j", WAITING, 3);
        assertThat(rt.outstanding()).as("the request waiting on b is not dropped").isPositive();
        clock.advance(Duration.ofMinutes(3));
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    });
    assertThat(r.count("j", PROCESSED)).isEqualTo(1);
    assertThat(fx.runs("b", "t1")).isEqualTo(1);
    assertThat(fx.record(g, "j", "t1").state()).isEqualTo(LedgerState.DONE);
    assertThat(fx.deadLetters()).isEmpty();
  }

  @Test
  void aClaimLeftByADeadRuntimeOfThisWorkDirectoryIsReleasedAtStart() throws Exception {
    fx.inputFile("t1.wav", "one\n");
    ResolvedGraph g = fx.graph(CHAIN);
    Files.createDirectories(fx.work);
    try (SqliteLedger ledger = SqliteLedger.open(fx.work.resolve("ledger.db"))) {
      ledger.claim(new StepItem("a", "t1"), null, "local:4242@gone:0000", Instant.now(), Duration.ofHours(1));
    }
    var r = fx.runAll(g, false);
    assertThat(r.count("a", PROCESSED)).isEqualTo(1);
    assertThat(r.count("a", BUSY)).isZero();
  }

  @Test
  void aTransientFailureIsRetriedWithBackoffThenSucceeds() throws Exception {
    fx.inputFile("t1.wav", "one\n");
    ResolvedGraph g = fx.graph("a: {uses: copy, retries: 3, params: {fail_times: 2}}\n");
    var r = fx.runAll(g, false);
    assertThat(r.count("a", RETRYING)).isEqualTo(2);
    assertThat(r.count("a", PROCESSED)).isEqualTo(1);
    var rec = fx.record(g, "a", "t1");
    assertThat(rec.state()).isEqualTo(LedgerState.DONE);
    assertThat(rec.attempts()).isEqualTo(3);
    assertThat(fx.deadLetters()).isEmpty();
  }

  @Test
  void afterItsRetriesAnItemFailsWithTheReasonAndIsDeadLettered() throws Exception {
    fx.inputFile("t1.wav", "one\n");
    fx.inputFile("t2.wav", "two\n");
    ResolvedGraph g = fx.graph("a: {uses: copy, retries: 2, params: {fail_times: 99}}\nb: {uses: copy, from: a}\n");
    var r = fx.run(g, rt -> rt.publish("a", Envelope.request("t1", Instant.now())));
    assertThat(r.count("a", RETRYING)).isEqualTo(2);
    assertThat(r.count("a", FAILED)).isEqualTo(1);
    assertThat(fx.attempts("a", "t1")).isEqualTo(3);
    var rec = fx.record(g, "a", "t1");
    assertThat(rec.state()).isEqualTo(LedgerState.FAILED);
    assertThat(rec.error()).contains("transient failure 3").contains("after 3 attempts");
    assertThat(fx.deadLetters()).singleElement().asString().contains("transient failure 3");
    assertThat(fx.runs("b", "t1")).isZero();
  }

  @Test
  void badInputFailsAtOnceAndTheOtherItemsGoOn() throws Exception {
    fx.inputFile("t1.wav", "one\n");
    fx.inputFile("t2.wav", "two\n");
    ResolvedGraph g = fx.graph("a: {uses: copy, params: {bad: t1}}\nb: {uses: copy, from: a}\n");
    var r = fx.runAll(g, false);
    assertThat(r.of(FAILED)).singleElement().satisfies(e -> {
      assertThat(e.item()).isEqualTo("t1");
      assertThat(e.detail()).isEqualTo("t1.wav: this item is bad");
    });
    assertThat(fx.attempts("a", "t1")).isEqualTo(1);
    assertThat(fx.record(g, "b", "t2").state()).isEqualTo(LedgerState.DONE);
  }

  @Test
  void aStepThatRunsPastItsTimeoutIsInterruptedAndFails() throws Exception {
    fx.inputFile("t1.wav", "one\n");
    ResolvedGraph g = fx.graph("a: {uses: copy, retries: 1, timeout: 200ms, params: {hang: true}}\n");
    var r = fx.runAll(g, false);
    assertThat(r.count("a", RETRYING)).isEqualTo(1);
    assertThat(r.of(FAILED)).singleElement().extracting(e -> e.detail()).asString()
        .contains("timed out after");
    assertThat(fx.outputPath("a", "t1")).doesNotExist();
  }

  @Test
  void aTimedOutInstanceIsClosedOnlyOnceItsProcessReturns() throws Exception {
    TestSteps.RELEASE = new java.util.concurrent.CountDownLatch(1);
    fx.inputFile("t1.wav", "one\n");
    ResolvedGraph g = fx.graph("a: {uses: copy, retries: 0, timeout: 200ms, params: {stubborn: true}}\n");
    try {
      var r = fx.runAll(g, false);
      assertThat(r.of(FAILED)).singleElement().extracting(e -> e.detail()).asString().contains("timed out after");
      // The run was abandoned and the runtime closed, but process() still runs (deaf to interrupts,
      // like a native kernel): its instance is set aside, not closed under it.
      assertThat(TestSteps.closed(fx.name)).isZero();
    } finally {
      TestSteps.RELEASE.countDown();
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (TestSteps.closed(fx.name) == 0 && System.nanoTime() < deadline) Thread.sleep(5);
    assertThat(TestSteps.closed(fx.name)).as("closed when process returned").isEqualTo(1);
    assertThat(TestSteps.closedWhileRunning(fx.name)).isZero();
  }

  @Test
  void aFailedRedoLeavesThePreviousOutputWhole() throws Exception {
    fx.inputFile("t1.wav", "one\n");
    fx.runAll(fx.graph("a: {uses: copy}\n"), false);
    String before = fx.output("a", "t1");
    ResolvedGraph failing = fx.graph("a: {uses: copy, retries: 0, params: {bad: t1, tag: x}}\n");
    fx.runAll(failing, false);
    assertThat(fx.output("a", "t1")).isEqualTo(before);
  }

  @Test
  void duplicateDeliveriesNeverRunAStepTwice() throws Exception {
    for (int i = 0; i < 8; i++) fx.inputFile("t" + i + ".wav", "x" + i + "\n");
    fx.busOptions = fx.busOptions.deliveringTwice();
    ResolvedGraph g = fx.graph(CHAIN + "j: {uses: join, from: [b, c]}\n");
    fx.runAll(g, false);
    for (int i = 0; i < 8; i++) {
      for (String s : List.of("a", "b", "c", "j")) {
        assertThat(fx.runs(s, "t" + i)).as(s + "/t" + i).isEqualTo(1);
      }
    }
  }

  @Test
  void aRootWithoutItsInputObjectFailsWithAClearReason() throws Exception {
    ResolvedGraph g = fx.graph(CHAIN);
    var r = fx.run(g, rt -> rt.publish("a", Envelope.request("ghost", Instant.now())));
    assertThat(r.of(FAILED)).singleElement().extracting(e -> e.detail()).asString()
        .startsWith("no input object for item 'ghost' (looked for file:").contains("ghost.*");
  }
}
