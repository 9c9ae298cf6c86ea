package io.wavegraph.audio.internal;

/**
 * Coefficients of a Kaiser-windowed sinc low-pass, sampled at the fractional offsets a rational
 * resampler needs. With {@code L} output phases per input sample the table holds every phase
 * exactly when {@code L x taps} fits the size budget; otherwise it holds {@code P + 1} evenly
 * spaced phases and interpolates linearly between the two nearest. The interpolation error is
 * about {@code (2 pi fc / P)^2 / 8} relative to the kernel peak (fc in cycles per input sample),
 * below -140 dB for the P of at least 4096 used with the default quality.
 */
public final class PolyphaseTable {
  private static final int MAX_ENTRIES = 1 << 20;

  private final int taps;
  private final int phases; // L
  private final int stored; // phases held in the table (L, or P + 1)
  private final boolean interpolated;
  private final double[] coefs;

  private PolyphaseTable(int taps, int phases, int stored, boolean interpolated, double[] coefs) {
    this.taps = taps;
    this.phases = phases;
    this.stored = stored;
    this.interpolated = interpolated;
    this.coefs = coefs;
  }

  /**
   * Designs the filter for resampling by {@code l/m} (reduced), flat to {@code passband} x the
   * lower Nyquist and attenuating {@code attenuationDb} from the lower Nyquist up.
   */
  public static PolyphaseTable design(int l, int m, double passband, double attenuationDb) {
    double perLow = Math.max(1.0, (double) m / l); // input samples per sample at the lower rate
    double transition = (1 - passband) * 0.5; // cycles per lower-rate sample
    double fcLow = (1 + passband) * 0.25;
    double halfLow = Kaiser.length(attenuationDb, transition) / 2;
    int half = (int) Math.ceil(halfLow * perLow);
    return build(l, half, fcLow / perLow, attenuationDb);
  }

  /**
   * Designs an interpolator for a signal already band-limited to {@code passEdge} (cycles per
   * input sample): it must keep that band flat and reject its images, which begin at {@code 1 -
   * passEdge}, so its transition band is wide and its kernel short.
   */
  public static PolyphaseTable designInterpolator(int l, double passEdge, double attenuationDb) {
    double stopEdge = 1 - passEdge;
    int half = (int) Math.ceil(Kaiser.length(attenuationDb, stopEdge - passEdge) / 2);
    return build(l, half, 0.5, attenuationDb);
  }

  private static PolyphaseTable build(int l, int half, double fc, double attenuationDb) {
    int taps = 2 * half;
    double beta = Kaiser.beta(attenuationDb);
    double i0 = Kaiser.besselI0(beta);
    boolean interpolated = (long) l * taps > MAX_ENTRIES;
    int stored;
    if (interpolated) {
      int p = Integer.highestOneBit(Math.max(2, MAX_ENTRIES / taps));
      stored = Math.max(p, 512) + 1;
    } else {
      stored = l;
    }
    double[] c = new double[stored * taps];
    for (int ph = 0; ph < stored; ph++) {
      double frac = interpolated ? (double) ph / (stored - 1) : (double) ph / l;
      for (int j = 0; j < taps; j++) {
        c[ph * taps + j] = Kaiser.kernel(frac + half - 1 - j, fc, half, beta, i0);
      }
    }
    return new PolyphaseTable(taps, l, stored, interpolated, c);
  }

  /**
   * An odd-length linear-phase low-pass (for {@link FftLowpass}): flat to {@code passEdge} and
   * attenuating {@code attenuationDb} from {@code stopEdge} on, both in cycles per sample; its
   * half-length is rounded up to a multiple of {@code halfMultiple}.
   */
  public static double[] lowpassKernel(double passEdge, double stopEdge, double attenuationDb, int halfMultiple) {
    int half = (int) Math.ceil(Kaiser.length(attenuationDb, stopEdge - passEdge) / 2);
    half = (half + halfMultiple - 1) / halfMultiple * halfMultiple;
    double fc = (passEdge + stopEdge) / 2;
    double beta = Kaiser.beta(attenuationDb);
    double i0 = Kaiser.besselI0(beta);
    double[] k = new double[2 * half + 1];
    for (int i = 0; i < k.length; i++) k[i] = Kaiser.kernel(i - half, fc, half + 1, beta, i0);
    return k;
  }

  /** Taps per output sample; the window for output phase p starts {@code taps/2 - 1} samples before it. */
  public int taps() {
    return taps;
  }

  public boolean interpolated() {
    return interpolated;
  }

  /**
   * Filters {@code taps()} samples of {@code x} from {@code off} for phase {@code phase} (0..L-1),
   * i.e. at a fractional position {@code phase / L} past sample {@code off + taps/2 - 1}.
   */
  public double apply(double[] x, int off, int phase) {
    if (!interpolated) {
      return dot(x, off, coefs, phase * taps, taps);
    }
    double pos = (double) phase * (stored - 1) / phases;
    int q = (int) pos;
    double f = pos - q;
    double a = dot(x, off, coefs, q * taps, taps);
    double b = dot(x, off, coefs, (q + 1) * taps, taps);
    return a + f * (b - a);
  }

  /**
   * {@link #apply} for two channels at once, writing {@code (float)} results to {@code out[o]} and
   * {@code out[o + 1]}: each coefficient is loaded once for both.
   */
  public void applyPair(double[] x0, double[] x1, int off, int phase, float[] out, int o) {
    if (!interpolated) {
      dotPair(x0, x1, off, coefs, phase * taps, taps, out, o);
      return;
    }
    out[o] = (float) apply(x0, off, phase);
    out[o + 1] = (float) apply(x1, off, phase);
  }

  private static void dotPair(double[] x, double[] y, int xo, double[] c, int co, int n, float[] out, int o) {
    double a0 = 0;
    double a1 = 0;
    double b0 = 0;
    double b1 = 0;
    int i = 0;
    for (; i + 1 < n; i += 2) {
      double c0 = c[co + i];
      double c1 = c[co + i + 1];
      a0 += x[xo + i] * c0;
      a1 += x[xo + i + 1] * c1;
      b0 += y[xo + i] * c0;
      b1 += y[xo + i + 1] * c1;
    }
    for (; i < n; i++) {
      a0 += x[xo + i] * c[co + i];
      b0 += y[xo + i] * c[co + i];
    }
    out[o] = (float) (a0 + a1);
    out[o + 1] = (float) (b0 + b1);
  }

  /** Four independent accumulators so the adds pipeline instead of waiting on each other. */
  static double dot(double[] x, int xo, double[] c, int co, int n) {
    double a0 = 0;
    double a1 = 0;
    double a2 = 0;
    double a3 = 0;
    int i = 0;
    for (; i + 3 < n; i += 4) {
      a0 += x[xo + i] * c[co + i];
      a1 += x[xo + i + 1] * c[co + i + 1];
      a2 += x[xo + i + 2] * c[co + i + 2];
      a3 += x[xo + i + 3] * c[co + i + 3];
    }
    for (; i < n; i++) {
      a0 += x[xo + i] * c[co + i];
    }
    return (a0 + a1) + (a2 + a3);
  }
}
