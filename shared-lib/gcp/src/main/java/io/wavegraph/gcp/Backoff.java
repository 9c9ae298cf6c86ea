package io.wavegraph.gcp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;

/**
 * Retries a call that failed with a transient status ({@link StatusCodes#TRANSIENT}) with a
 * doubling backoff, and gives up after {@code attempts} calls with an {@link UncheckedIOException}:
 * the step pipeline treats that as "nothing was decided" and nacks the message, so it is
 * redelivered later and never lost. Other failures pass through at once.
 *
 * @param attempts calls in all, at least 1
 * @param first the pause before the second call
 * @param max the longest pause
 * @param sleeper how to pause; tests pass one that records instead of sleeping
 */
public record Backoff(int attempts, Duration first, Duration max, Sleeper sleeper) {

  /** Pauses for a while. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration d) throws InterruptedException;
  }

  /** Five calls, 100 ms doubling to 2 s: about 3 s in all before the caller gives up. */
  public static Backoff defaults() {
    return new Backoff(5, Duration.ofMillis(100), Duration.ofSeconds(2), d -> Thread.sleep(d.toMillis()));
  }

  /** A call that may throw anything. */
  @FunctionalInterface
  public interface Call<T> {
    T call() throws Exception;
  }

  /** Runs {@code call}, retrying transient failures; {@code what} names it in the final error. */
  public <T> T run(String what, Call<T> call) {
    Duration pause = first;
    for (int attempt = 1; ; attempt++) {
      try {
        return call.call();
      } catch (Exception e) {
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
          throw new UncheckedIOException(new IOException(what + ": interrupted", e));
        }
        if (!StatusCodes.isTransient(e)) {
          if (e instanceof RuntimeException r) throw r;
          throw new UncheckedIOException(new IOException(what + ": " + e.getMessage(), e));
        }
        if (attempt >= attempts) {
          throw new UncheckedIOException(new IOException(
              what + " failed " + attempt + " times with " + StatusCodes.of(e) + ": " + e.getMessage(), e));
        }
        try {
          sleeper.sleep(pause);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new UncheckedIOException(new IOException(what + ": interrupted", ie));
        }
        pause = pause.multipliedBy(2).compareTo(max) > 0 ? max : pause.multipliedBy(2);
      }
    }
  }
}
