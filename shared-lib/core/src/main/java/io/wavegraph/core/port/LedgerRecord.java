package io.wavegraph.core.port;

import java.time.Instant;
import java.util.Map;

/**
 * One ledger record per (step, item).
 *
 * @param version the step version that made (or is making) the outputs
 * @param inputs the fingerprint (object generation) of every input it was made from, by input key
 * @param outputs the checksum ({@code crc32c:…}, see {@link Crc32cChecksum}) of every output it wrote, by output URI
 * @param owner who holds (or last held) the claim
 * @param leaseUntil until when the claim is held; a claim past it may be taken over
 * @param attempts how many times it was claimed to run
 * @param error the last error, or null
 * @param state null for a record that only noted a ping
 * @param revision grows by one on every claim, completion and failure; the compare-and-set token
 */
public record LedgerRecord(
    StepItem key,
    LedgerState state,
    String version,
    Map<String, String> inputs,
    Map<String, String> outputs,
    String owner,
    Instant leaseUntil,
    int attempts,
    String error,
    Instant started,
    Instant finished,
    Instant pinged,
    long revision) {

  public LedgerRecord {
    inputs = inputs == null ? Map.of() : Map.copyOf(inputs);
    outputs = outputs == null ? Map.of() : Map.copyOf(outputs);
  }

  /** True when someone holds a claim whose lease has not expired at {@code now}. */
  public boolean isLiveClaim(Instant now) {
    return state == LedgerState.CLAIMED && leaseUntil != null && leaseUntil.isAfter(now);
  }
}
