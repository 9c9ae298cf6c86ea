package io.wavegraph.compiler.workflows;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.TreeMap;

/**
 * The workflow's clock: real time (in milliseconds, as the SQLite ledger stores it) plus every
 * {@code sys.sleep} so far, so a wait of an hour polls 360 times without sleeping. Ledger times
 * are mapped through {@link #toVirtual} with the offset in force when they were written, which
 * keeps "written after the request was sent" true in both clocks. A {@link #manual} clock has no
 * real part: it stands still except when {@code sys.sleep} moves it, for fakes that model time.
 */
final class VirtualClock {
  private final TreeMap<Instant, Long> offsets = new TreeMap<>(Map.of(Instant.EPOCH, 0L));
  private Instant manual; // non-null: a clock that only sleeps move

  /** A clock at {@code start} that moves only by {@link #advanceTo}. */
  static VirtualClock manual(Instant start) {
    VirtualClock c = new VirtualClock();
    c.manual = start;
    return c;
  }

  synchronized Instant now() {
    if (manual != null) return manual;
    Instant real = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    return real.plusMillis(offsets.floorEntry(real).getValue());
  }

  double nowSeconds() {
    return seconds(now());
  }

  /** Moves the clock on to at least {@code until} (branches that sleep together move it once). */
  synchronized void advanceTo(Instant until) {
    if (manual != null) {
      if (until.isAfter(manual)) manual = until;
      return;
    }
    Instant real = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    long offset = offsets.floorEntry(real).getValue();
    long needed = until.toEpochMilli() - real.toEpochMilli();
    if (needed > offset) offsets.put(real.plusMillis(1), needed);
  }

  synchronized Instant toVirtual(Instant real) {
    if (manual != null) return real;
    return real.plusMillis(offsets.floorEntry(real).getValue());
  }

  static double seconds(Instant i) {
    return i.getEpochSecond() + i.getNano() / 1e9;
  }

  static Instant instant(double seconds) {
    return Instant.ofEpochMilli(Math.round(seconds * 1000));
  }
}
