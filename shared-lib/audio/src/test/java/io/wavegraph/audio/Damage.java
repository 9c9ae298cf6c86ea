package io.wavegraph.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.Random;

/**
 * Damaged-input checks shared by the decoder tests: decoding must end, within a time bound, either
 * cleanly or with an {@link AudioFormatException} whose message names the input. Anything else (a
 * raw runtime exception, an error, a hang) fails the test with {@code what} in the message.
 */
public final class Damage {
  /** Generous: a damaged fixture decodes in milliseconds; only a hang comes near this. */
  public static final Duration BOUND = Duration.ofSeconds(20);

  /** Seeds per randomised test; raise with -Dwavegraph.fuzz.seeds=20000 for a longer soak. */
  public static final int SEEDS = Integer.getInteger("wavegraph.fuzz.seeds", 300);

  static {
    if (SEEDS != 300) {
      System.out.println("Damage: " + SEEDS + " seeds per randomised test");
    }
  }

  private Damage() {}

  /** Returns the exception (null if the data decoded cleanly). */
  public static AudioFormatException decodeOrFail(byte[] data, String name, String what) {
    return assertTimeoutPreemptively(BOUND, () -> {
      try {
        Fixtures.decode(Fixtures.open(data, name), 1024);
        return null;
      } catch (AudioFormatException e) {
        assertThat(e.getMessage()).as(what).startsWith(name + ": ");
        assertThat(e.problem()).as(what).isNotBlank();
        return e;
      } catch (Throwable t) {
        throw new AssertionError(what + ": " + t, t);
      }
    }, () -> what + ": did not finish within " + BOUND);
  }

  /** Like {@link #decodeOrFail}, but the data must be rejected. */
  public static AudioFormatException mustFail(byte[] data, String name, String what) {
    AudioFormatException e = decodeOrFail(data, name, what);
    assertThat(e).as(what + ": decoded without an error").isNotNull();
    return e;
  }

  /** A copy of {@code good} with 1 to 3 random bits flipped at or after {@code from}. */
  public static byte[] flipBits(byte[] good, int from, Random random) {
    byte[] bad = good.clone();
    int flips = 1 + random.nextInt(3);
    for (int i = 0; i < flips; i++) {
      bad[from + random.nextInt(good.length - from)] ^= (byte) (1 << random.nextInt(8));
    }
    return bad;
  }

  /** {@code prefix} followed by random bytes, {@code length} in all. */
  public static byte[] randomAfter(byte[] prefix, int length, Random random) {
    byte[] b = new byte[length];
    random.nextBytes(b);
    System.arraycopy(prefix, 0, b, 0, Math.min(prefix.length, length));
    return b;
  }
}
