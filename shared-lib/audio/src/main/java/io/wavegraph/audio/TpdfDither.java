package io.wavegraph.audio;

import java.util.SplittableRandom;

/**
 * Triangular (TPDF) dither for reducing float samples to a {@code bits}-bit integer format: adds
 * the sum of two independent uniform variables of half an LSB each side, so the quantisation
 * error becomes signal-independent noise instead of distortion. Seeded, so the same input gives
 * the same bytes (outputs stay reproducible, and a redone step writes what it wrote before).
 */
public final class TpdfDither {
  private final double lsb;
  private final SplittableRandom random;

  public TpdfDither(int bits, long seed) {
    if (bits < 8 || bits > 24) throw new IllegalArgumentException("bits must be 8..24, got " + bits);
    this.lsb = 1.0 / (1L << (bits - 1));
    this.random = new SplittableRandom(seed);
  }

  /** Dithers the first {@code samples} values in place. */
  public void apply(float[] buffer, int samples) {
    for (int i = 0; i < samples; i++) {
      double noise = (random.nextDouble() - random.nextDouble()) * lsb;
      buffer[i] = (float) (buffer[i] + noise);
    }
  }
}
