package io.wavegraph.compiler.workflows;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.TreeMap;

/**
 * The workflow's clock: real time (in milliseconds, as the SQLite ledger stores it) plus every
 * {@code sys.sleep} so far, so a wait of an hour polls 360 times without sleeping. Ledger times
 * are mapped through {@link #toVirtual} with the offset in force when they were written, which
 * keeps "written after the request was sent" true in both clocks.
 */
final class VirtualClock {
  private final TreeMap<Instant, Long> offsets = new TreeMap<>(Map.of(Instant.EPOCH, 0L));

  synchronized Instant now() {
    Instant real = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    return real.plusMillis(offsets.floorEntry(real).getValue());
  }

  double nowSeconds() {
    return seconds(now());
  }

  /** Moves the clock on to at least {@code until} (branches that sleep together move it once). */
  synchronized void advanceTo(Instant until) {
    Instant real = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    long offset = offsets.floorEntry(real).getValue();
    long needed = until.toEpochMilli() - real.toEpochMilli();
    if (needed > offset) offsets.put(real.plusMillis(1), needed);
  }

  synchronized Instant toVirtual(Instant real) {
    return real.plusMillis(offsets.floorEntry(real).getValue());
  }

  static double seconds(Instant i) {
    return i.getEpochSecond() + i.getNano() / 1e9;
  }

  static Instant instant(double seconds) {
    return Instant.ofEpochMilli(Math.round(seconds * 1000));
  }
}
