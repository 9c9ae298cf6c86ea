package io.wavegraph.local;

import java.time.Duration;

/**
 * How many deliveries a bus still owes: raised on publish (once per subscription copy), lowered
 * only when a copy is acknowledged, dead-lettered or dropped. A handler that publishes before it
 * acks therefore never lets the count touch zero in between.
 */
final class OutstandingCount {
  private long count;

  synchronized void add(long n) {
    count += n;
  }

  synchronized void done() {
    if (--count == 0) notifyAll();
  }

  synchronized long get() {
    return count;
  }

  /** Waits until the count is zero; false when the timeout passed (or the thread was interrupted). */
  synchronized boolean awaitZero(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (count > 0) {
      long left = deadline - System.nanoTime();
      if (left <= 0) return false;
      try {
        wait(Math.max(1, left / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }
}
