package io.wavegraph.core.port;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What was processed: one {@link LedgerRecord} per (step, item). Every write is atomic; claims
 * are compare-and-set on the record's {@link LedgerRecord#revision() revision}, so of two workers
 * that read the same record and race to claim it, exactly one wins.
 *
 * <p>Implementations: SQLite on one machine, Firestore in the cloud. The same contract suite
 * ({@code LedgerContract} in the test kit) runs against each.
 */
public interface Ledger extends AutoCloseable {

  /** The record, or empty when the (step, item) was never claimed or pinged. */
  Optional<LedgerRecord> get(StepItem key);

  /**
   * The records of {@code items} at {@code step} that exist, by item: what {@link #get} answers
   * for each, in as few reads as the store allows (a re-run judges a whole catalog at once).
   */
  default Map<String, LedgerRecord> getAll(String step, Collection<String> items) {
    Map<String, LedgerRecord> out = new HashMap<>();
    for (String item : items) get(new StepItem(step, item)).ifPresent(r -> out.put(item, r));
    return out;
  }

  /**
   * Claims the (step, item) for {@code owner} until {@code now + lease}, if the record is still
   * the one the caller read: {@code expected} is that record, or null when it read none. The claim
   * fails when the record changed since (another worker claimed, finished or pinged it), or when
   * it is a live claim of someone else. A claim of an expired lease takes it over. A successful
   * claim sets the state to CLAIMED and clears nothing else; it counts {@code attempts} of the
   * current run: one more when the record was CLAIMED (a retry, a takeover), 1 when it starts a
   * new run (no record, or DONE, or FAILED), so that the step's retries count runs that failed,
   * never deliveries that waited.
   *
   * @return the new record, or empty when the claim was lost
   */
  Optional<LedgerRecord> claim(
      StepItem key, LedgerRecord expected, String owner, Instant now, Duration lease);

  /**
   * Extends the lease of {@code owner}'s claim to {@code until}, if it still holds it (CLAIMED,
   * same owner, even past its lease when nobody took it over). Counts as a change: the revision
   * grows, so a worker that read the record before the renewal cannot take it over.
   *
   * @return false when the claim was lost; nothing written
   */
  boolean renew(StepItem key, String owner, Instant until);

  /**
   * Marks DONE with the completion, if {@code owner} still holds the claim.
   *
   * @return false when the claim was lost (taken over after the lease expired); nothing written
   */
  boolean complete(StepItem key, String owner, Completion completion);

  /**
   * Records a failed attempt, if {@code owner} still holds the claim. With {@code permanent} the
   * state becomes FAILED; otherwise the record stays CLAIMED with its lease ended at {@code now},
   * so that the next delivery can take it over at once.
   */
  boolean fail(StepItem key, String owner, String error, boolean permanent, Instant now);

  /**
   * Notes that a ping passed through, without changing the state, the claim or the revision
   * (creating a bare record with no state when there is none).
   */
  void notePing(StepItem key, Instant now);

  /** Every record of the step, in item order. */
  List<LedgerRecord> records(String step);

  @Override
  void close();
}
