package io.wavegraph.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.wavegraph.core.port.Completion;
import io.wavegraph.core.port.Ledger;
import io.wavegraph.core.port.LedgerRecord;
import io.wavegraph.core.port.LedgerState;
import io.wavegraph.core.port.StepItem;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link Ledger} must show. An adapter's test extends this class and
 * implements {@link #newLedger()}; one backed by shared state (an emulator) keeps the default
 * unique {@link #stepName(String)}.
 *
 * <p>Time is whatever the test passes as {@code now}: whole seconds from {@link #T0}, so stores
 * that keep milliseconds or microseconds compare equal. Nothing sleeps.
 */
public abstract class LedgerContract {
  protected static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
  protected static final Duration LEASE = Duration.ofMinutes(1);

  /** A ledger for one test; it is closed after the test. */
  protected abstract Ledger newLedger() throws Exception;

  /**
   * A second handle on the same records, as another worker process would open it; racing
   * claimers use one each. The default is the same instance. A handle other than {@code ledger}
   * is closed after the race.
   */
  protected Ledger peerOf(Ledger ledger) throws Exception {
    return ledger;
  }

  /** A step name unique to this run, since an emulator's state outlives one test. */
  protected String stepName(String base) {
    return base + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** How many rounds the racing-claimers tests run. */
  protected int raceRounds() {
    return 100;
  }

  /** The most a race may take before the test fails. */
  protected Duration deadline() {
    return Duration.ofSeconds(60);
  }

  protected Ledger ledger;
  private String step;

  @BeforeEach
  void openLedger() throws Exception {
    ledger = newLedger();
    step = stepName("beats");
  }

  @AfterEach
  void closeLedger() {
    if (ledger != null) ledger.close();
  }

  @Test
  void unknownRecordIsEmpty() {
    assertThat(ledger.get(key("nobody"))).isEmpty();
  }

  @Test
  void getAllAnswersWhatGetDoesForEachItemAndLeavesOutTheUnknown() {
    ledger.claim(key("t1"), null, "w1", T0, LEASE).orElseThrow();
    ledger.claim(key("t2"), null, "w2", T0, LEASE).orElseThrow();
    ledger.claim(new StepItem(stepName("tempo"), "t3"), null, "w1", T0, LEASE).orElseThrow();

    var all = ledger.getAll(key("t1").step(), java.util.List.of("t1", "t2", "t3", "nobody"));

    assertThat(all).containsOnlyKeys("t1", "t2");
    assertThat(all.get("t1")).isEqualTo(ledger.get(key("t1")).orElseThrow());
    assertThat(all.get("t2")).isEqualTo(ledger.get(key("t2")).orElseThrow());
  }

  @Test
  void claimOfNothingCreatesAClaim() {
    StepItem k = key("t1");

    LedgerRecord r = ledger.claim(k, null, "w1", T0, LEASE).orElseThrow();

    assertThat(r.key()).isEqualTo(k);
    assertThat(r.state()).isEqualTo(LedgerState.CLAIMED);
    assertThat(r.owner()).isEqualTo("w1");
    assertThat(r.attempts()).isEqualTo(1);
    assertThat(r.leaseUntil()).isEqualTo(T0.plus(LEASE));
    assertThat(r.started()).isEqualTo(T0);
    assertThat(r.revision()).isEqualTo(1);
    assertThat(r.isLiveClaim(T0)).isTrue();
    assertThat(ledger.get(k)).contains(r);
  }

  @Test
  void secondClaimOfNothingLoses() {
    StepItem k = key("t1");
    LedgerRecord first = ledger.claim(k, null, "w1", T0, LEASE).orElseThrow();

    assertThat(ledger.claim(k, null, "w2", T0, LEASE)).isEmpty();
    assertThat(ledger.claim(k, null, "w2", T0.plus(LEASE).plusSeconds(1), LEASE))
        .as("even after the lease expired: the caller read nothing, but there is a record")
        .isEmpty();
    assertThat(ledger.get(k)).contains(first);
  }

  @Test
  void claimWithAStaleRecordLoses() {
    StepItem k = key("t1");
    LedgerRecord read = ledger.claim(k, null, "w1", T0, LEASE).orElseThrow();
    Instant later = T0.plusSeconds(5);
    assertThat(ledger.fail(k, "w1", "boom", false, later)).isTrue();
    LedgerRecord current = ledger.get(k).orElseThrow();

    assertThat(ledger.claim(k, read, "w2", later, LEASE)).as("revision changed since").isEmpty();
    assertThat(ledger.get(k)).contains(current);
    assertThat(ledger.claim(k, current, "w2", later, LEASE)).isPresent();
  }

  @Test
  void liveClaimOfAnotherCannotBeTaken() {
    StepItem k = key("t1");
    LedgerRecord held = ledger.claim(k, null, "w1", T0, LEASE).orElseThrow();

    assertThat(ledger.claim(k, held, "w2", T0.plusSeconds(10), LEASE)).isEmpty();
    assertThat(ledger.claim(k, held, "w2", T0.plus(LEASE).minusSeconds(1), LEASE)).isEmpty();
    assertThat(ledger.get(k)).contains(held);
  }

  @Test
  void expiredLeaseIsTakenOver() {
    StepItem k = key("t1");
    LedgerRecord held = ledger.claim(k, null, "w1", T0, LEASE).orElseThrow();
    Instant expired = T0.plus(LEASE).plusSeconds(1);

    LedgerRecord taken = ledger.claim(k, held, "w2", expired, LEASE).orElseThrow();

    assertThat(taken.state()).isEqualTo(LedgerState.CLAIMED);
    assertThat(taken.owner()).isEqualTo("w2");
    assertThat(taken.attempts()).isEqualTo(2);
    assertThat(taken.leaseUntil()).isEqualTo(expired.plus(LEASE));
    assertThat(taken.started()).isEqualTo(expired);
    assertThat(taken.revision()).isEqualTo(held.revision() + 1);
    assertThat(ledger.get(k)).contains(taken);
  }

  @Test
  void completeByTheOwnerMarksDone() {
    StepItem k = key("t1");
    LedgerRecord held = ledger.claim(k, null, "w1", T0, LEASE).orElseThrow();
    Completion done = completion("v2", T0.plusSeconds(7));

    assertThat(ledger.complete(k, "w1", done)).isTrue();

    LedgerRecord r = ledger.get(k).orElseThrow();
    assertThat(r.state()).isEqualTo(LedgerState.DONE);
    assertThat(r.version()).isEqualTo("v2");
    assertThat(r.inputs()).isEqualTo(done.inputs());
    assertThat(r.outputs()).isEqualTo(done.outputs());
    assertThat(r.finished()).isEqualTo(done.finished());
    assertThat(r.started()).isEqualTo(T0);
    assertThat(r.attempts()).isEqualTo(1);
    assertThat(r.revision()).isEqualTo(held.revision() + 1);
  }

  @Test
  void completeByALaterOwnerWinsAndByTheEarlierLoses() {
    StepItem k = key("t1");
    LedgerRecord held = ledger.claim(k, null, "w1", T0, LEASE).orElseThrow();
    Instant expired = T0.plus(LEASE).plusSeconds(1);
    LedgerRecord taken = ledger.claim(k, held, "w2", expired, LEASE).orElseThrow();

    assertThat(ledger.complete(k, "w1", completion("v1", expired.plusSeconds(1)))).isFalse();
    assertThat(ledger.get(k)).contains(taken);
    assertThat(ledger.complete(k, "w2", completion("v1", expired.plusSeconds(2)))).isTrue();
  }

  @Test
  void completeOrFailWithoutAClaimIsRefused() {
    StepItem k = key("never");
    assertThat(ledger.complete(k, "w1", completion("v1", T0))).isFalse();
    assertThat(ledger.fail(k, "w1", "boom", true, T0)).isFalse();
    assertThat(ledger.get(k)).isEmpty();
  }

  @Test
  void transientFailureEndsTheLeaseSoTheNextClaimWinsAtOnce() {
    StepItem k = key("t1");
    LedgerRecord held = ledger.claim(k, null, "w1", T0, LEASE).orElseThrow();
    Instant failedAt = T0.plusSeconds(3);

    assertThat(ledger.fail(k, "w1", "decoder hiccup", false, failedAt)).isTrue();

    LedgerRecord r = ledger.get(k).orElseThrow();
    assertThat(r.state()).isEqualTo(LedgerState.CLAIMED);
    assertThat(r.error()).isEqualTo("decoder hiccup");
    assertThat(r.leaseUntil()).isEqualTo(failedAt);
    assertThat(r.isLiveClaim(failedAt)).isFalse();
    assertThat(r.revision()).isEqualTo(held.revision() + 1);
    LedgerRecord retry = ledger.claim(k, r, "w2", failedAt, LEASE).orElseThrow();
    assertThat(retry.attempts()).isEqualTo(2);
    assertThat(retry.owner()).isEqualTo("w2");
  }

  @Test
  void permanentFailureMarksFailed() {
    StepItem k = key("t1");
    LedgerRecord held = ledger.claim(k, null, "w1", T0, LEASE).orElseThrow();

    assertThat(ledger.fail(k, "w1", "unsupported codec", true, T0.plusSeconds(2))).isTrue();

    LedgerRecord r = ledger.get(k).orElseThrow();
    assertThat(r.state()).isEqualTo(LedgerState.FAILED);
    assertThat(r.error()).isEqualTo("unsupported codec");
    assertThat(r.revision()).isEqualTo(held.revision() + 1);
    assertThat(ledger.claim(k, r, "w2", T0.plusSeconds(3), LEASE))
        .as("a failed item may be claimed again, e.g. by a forced re-run")
        .isPresent();
  }

  @Test
  void failureByANonOwnerIsRefused() {
    StepItem k = key("t1");
    LedgerRecord held = ledger.claim(k, null, "w1", T0, LEASE).orElseThrow();

    assertThat(ledger.fail(k, "w2", "not mine", true, T0.plusSeconds(1))).isFalse();
    assertThat(ledger.get(k)).contains(held);
  }

  @Test
  void doneRecordCanBeClaimedAgainWithTheCurrentRecord() {
    StepItem k = key("t1");
    ledger.claim(k, null, "w1", T0, LEASE).orElseThrow();
    ledger.complete(k, "w1", completion("v1", T0.plusSeconds(1)));
    LedgerRecord done = ledger.get(k).orElseThrow();
    Instant rerun = T0.plusSeconds(100);

    assertThat(ledger.claim(k, null, "w2", rerun, LEASE)).isEmpty();
    LedgerRecord again = ledger.claim(k, done, "w2", rerun, LEASE).orElseThrow();

    assertThat(again.state()).isEqualTo(LedgerState.CLAIMED);
    assertThat(again.owner()).isEqualTo("w2");
    assertThat(again.attempts()).as("a new run counts its attempts from 1").isEqualTo(1);
    assertThat(again.version()).as("a claim clears nothing").isEqualTo("v1");
    assertThat(again.outputs()).isEqualTo(done.outputs());
    assertThat(again.revision()).isEqualTo(done.revision() + 1);
  }

  @Test
  void renewalKeepsALiveWorkerFromBeingTakenOver() {
    StepItem k = key("t1");
    LedgerRecord held = ledger.claim(k, null, "w1", T0, LEASE).orElseThrow();
    Instant renewedAt = T0.plus(LEASE).minusSeconds(1);

    assertThat(ledger.renew(k, "w1", renewedAt.plus(LEASE))).isTrue();

    LedgerRecord renewed = ledger.get(k).orElseThrow();
    assertThat(renewed.leaseUntil()).isEqualTo(renewedAt.plus(LEASE));
    assertThat(renewed.owner()).isEqualTo("w1");
    assertThat(renewed.attempts()).isEqualTo(held.attempts());
    assertThat(renewed.revision()).isEqualTo(held.revision() + 1);
    Instant pastFirstLease = T0.plus(LEASE).plusSeconds(1);
    assertThat(ledger.claim(k, renewed, "w2", pastFirstLease, LEASE)).as("renewed: still live").isEmpty();
    assertThat(ledger.claim(k, held, "w2", pastFirstLease, LEASE)).as("read before the renewal").isEmpty();
    assertThat(ledger.complete(k, "w1", completion("v1", pastFirstLease))).isTrue();
  }

  @Test
  void renewalOfALostClaimFailsAndWritesNothing() {
    StepItem k = key("t1");
    LedgerRecord held = ledger.claim(k, null, "w1", T0, LEASE).orElseThrow();
    Instant expired = T0.plus(LEASE).plusSeconds(1);
    LedgerRecord taken = ledger.claim(k, held, "w2", expired, LEASE).orElseThrow();

    assertThat(ledger.renew(k, "w1", expired.plus(LEASE))).isFalse();
    assertThat(ledger.renew(key("never"), "w1", expired.plus(LEASE))).isFalse();

    assertThat(ledger.get(k)).contains(taken);
  }

  @Test
  void aFailedRecordClaimedAgainStartsANewRunAtAttemptOne() {
    StepItem k = key("t1");
    ledger.claim(k, null, "w1", T0, LEASE).orElseThrow();
    LedgerRecord retried = ledger.claim(k, ledger.get(k).orElseThrow(), "w1", T0.plusSeconds(1), LEASE).orElseThrow();
    assertThat(retried.attempts()).isEqualTo(2);
    ledger.fail(k, "w1", "broken", true, T0.plusSeconds(2));
    LedgerRecord failed = ledger.get(k).orElseThrow();

    LedgerRecord again = ledger.claim(k, failed, "w2", T0.plusSeconds(3), LEASE).orElseThrow();

    assertThat(again.attempts()).isEqualTo(1);
    assertThat(again.error()).as("a claim clears nothing").isEqualTo("broken");
  }

  @Test
  void pingOfNothingLeavesABareRecordThatCanStillBeClaimed() {
    StepItem k = key("t1");

    ledger.notePing(k, T0);

    LedgerRecord bare = ledger.get(k).orElseThrow();
    assertThat(bare.state()).isNull();
    assertThat(bare.pinged()).isEqualTo(T0);
    assertThat(bare.revision()).isZero();
    LedgerRecord r = ledger.claim(k, bare, "w1", T0.plusSeconds(1), LEASE).orElseThrow();
    assertThat(r.pinged()).isEqualTo(T0);
    assertThat(r.attempts()).isEqualTo(1);
    assertThat(r.revision()).isEqualTo(1);
  }

  @Test
  void pingOfNothingDoesNotBlockAClaimOfNothing() {
    StepItem k = key("t1");
    ledger.notePing(k, T0);

    assertThat(ledger.claim(k, null, "w1", T0.plusSeconds(1), LEASE)).isPresent();
  }

  @Test
  void pingChangesNeitherStateNorRevision() {
    StepItem k = key("t1");
    LedgerRecord held = ledger.claim(k, null, "w1", T0, LEASE).orElseThrow();
    ledger.complete(k, "w1", completion("v1", T0.plusSeconds(1)));
    LedgerRecord done = ledger.get(k).orElseThrow();

    ledger.notePing(k, T0.plusSeconds(9));

    LedgerRecord pinged = ledger.get(k).orElseThrow();
    assertThat(pinged.pinged()).isEqualTo(T0.plusSeconds(9));
    assertThat(pinged.state()).isEqualTo(LedgerState.DONE);
    assertThat(pinged.revision()).isEqualTo(done.revision()).isEqualTo(held.revision() + 1);
    assertThat(ledger.claim(k, done, "w2", T0.plusSeconds(10), LEASE))
        .as("a record read before the ping is still current")
        .isPresent();
  }

  @Test
  void recordsOfAStepComeInItemOrder() {
    String other = stepName("tempo");
    for (String item : List.of("tracks/c", "tracks/a", "b", "tracks/b")) {
      ledger.claim(key(item), null, "w1", T0, LEASE).orElseThrow();
    }
    ledger.claim(new StepItem(other, "tracks/a"), null, "w1", T0, LEASE).orElseThrow();

    assertThat(ledger.records(step)).extracting(r -> r.key().item())
        .containsExactly("b", "tracks/a", "tracks/b", "tracks/c");
    assertThat(ledger.records(other)).extracting(r -> r.key().item()).containsExactly("tracks/a");
    assertThat(ledger.records(stepName("nothing"))).isEmpty();
  }

  @Test
  void racingClaimersOfNothingHaveOneWinner() throws Exception {
    race(k -> { });
  }

  @Test
  void racingClaimersOfADoneRecordHaveOneWinner() throws Exception {
    race(k -> {
      ledger.claim(k, null, "setup", T0, LEASE).orElseThrow();
      ledger.complete(k, "setup", completion("v0", T0));
    });
  }

  private interface Setup {
    void prepare(StepItem key) throws Exception;
  }

  /**
   * Two workers, each on its own handle and thread, each reading the record itself and then
   * claiming it at the same moment: exactly one wins every round.
   */
  private void race(Setup setup) throws Exception {
    Ledger peer = peerOf(ledger);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    CyclicBarrier start = new CyclicBarrier(2);
    try {
      for (int round = 0; round < raceRounds(); round++) {
        StepItem k = key("race-" + round);
        setup.prepare(k);
        Instant now = T0.plusSeconds(3600);
        Future<Optional<LedgerRecord>> a = pool.submit(() -> claimAfter(start, ledger, k, "a", now));
        Future<Optional<LedgerRecord>> b = pool.submit(() -> claimAfter(start, peer, k, "b", now));
        Optional<LedgerRecord> ra = a.get(deadline().toMillis(), TimeUnit.MILLISECONDS);
        Optional<LedgerRecord> rb = b.get(deadline().toMillis(), TimeUnit.MILLISECONDS);

        assertThat(ra.isPresent() ^ rb.isPresent())
            .as("round %d: exactly one of %s and %s won", round, ra, rb)
            .isTrue();
        LedgerRecord winner = ra.orElseGet(rb::orElseThrow);
        assertThat(ledger.get(k)).contains(winner);
        assertThat(peer.get(k)).contains(winner);
      }
    } finally {
      pool.shutdownNow();
      if (peer != ledger) peer.close();
    }
  }

  private Optional<LedgerRecord> claimAfter(
      CyclicBarrier start, Ledger handle, StepItem k, String owner, Instant now) throws Exception {
    LedgerRecord read = handle.get(k).orElse(null);
    start.await(deadline().toMillis(), TimeUnit.MILLISECONDS);
    return handle.claim(k, read, owner, now, LEASE);
  }

  /** The key of {@code item} at this test's step. */
  protected StepItem key(String item) {
    return new StepItem(step, item);
  }

  protected static Completion completion(String version, Instant finished) {
    return new Completion(
        version,
        Map.of("downsample/tracks/t1.wav", "1700000000123456"),
        Map.of("file:///out/beats/tracks/t1.json", "sha256:0a1b2c"),
        finished);
  }
}
