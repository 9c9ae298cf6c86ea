package io.wavegraph.audio.internal;

/**
 * An in-place complex FFT of one power-of-two size (iterative radix-2 after a bit-reversal
 * permutation). The twiddles of every stage are stored contiguously, so each stage walks them in
 * order, and the first two stages (twiddles 1 and -i) need no multiplications. Unnormalised both
 * ways: inverse(forward(x)) = n x. Immutable and thread-safe.
 */
public final class Fft {
  private final int n;
  private final int[] swaps; // pairs (i, j), i < j, of the bit-reversal permutation
  private final double[] cos; // stage with half-length h: entries h-1 .. 2h-2 hold k = 0 .. h-1
  private final double[] sin;

  /**
   * The tables depend only on the size, so each size is made once per process and shared: a
   * catalog run makes thousands of transforms of the same few sizes, one per item and stage.
   */
  private static final java.util.concurrent.ConcurrentHashMap<Integer, Fft> SHARED = new java.util.concurrent.ConcurrentHashMap<>();

  /** The transform of size {@code n}, shared (it is immutable, so any number of threads may use it). */
  public static Fft of(int n) {
    Fft f = SHARED.get(n);
    return f != null ? f : SHARED.computeIfAbsent(n, Fft::new);
  }

  public Fft(int n) {
    if (n < 1 || Integer.bitCount(n) != 1) throw new IllegalArgumentException("FFT size must be a power of two, got " + n);
    this.n = n;
    int bits = Integer.numberOfTrailingZeros(n);
    if (bits == 0) bits = 1; // n = 1: no permutation
    int[] pairs = new int[n];
    int p = 0;
    for (int i = 0; i < n; i++) {
      int j = Integer.reverse(i) >>> (32 - bits);
      if (j > i) {
        pairs[p++] = i;
        pairs[p++] = j;
      }
    }
    swaps = java.util.Arrays.copyOf(pairs, p);
    cos = new double[n];
    sin = new double[n];
    for (int h = 1; h < n; h <<= 1) {
      for (int k = 0; k < h; k++) {
        cos[h - 1 + k] = Math.cos(Math.PI * k / h);
        sin[h - 1 + k] = Math.sin(Math.PI * k / h);
      }
    }
  }

  public int size() {
    return n;
  }

  /** X[k] = sum x[t] e^(-2 pi i k t / n) (inverse: e^(+...)), in place. */
  public void transform(double[] re, double[] im, boolean inverse) {
    if (n < 4) {
      if (n == 2) {
        double r = re[0];
        double i = im[0];
        re[0] = r + re[1];
        im[0] = i + im[1];
        re[1] = r - re[1];
        im[1] = i - im[1];
      }
      return;
    }
    permute(re, im);
    ditStages(re, im, inverse);
  }

  /**
   * The inverse transform of a spectrum given in bit-reversed order ({@link #forwardBitReversed}'s
   * output), to natural order: {@link #transform} without its permutation pass.
   */
  public void inverseFromBitReversed(double[] re, double[] im) {
    if (n < 4) {
      transform(re, im, true);
      return;
    }
    ditStages(re, im, true);
  }

  /**
   * The forward transform of a signal in natural order, left in bit-reversed order (bin {@code k}
   * at index {@code reverse(k)}), by decimation in frequency: no permutation pass. For filtering,
   * where the spectrum is only multiplied and transformed back, the order does not matter.
   */
  public void forwardBitReversed(double[] re, double[] im) {
    if (n < 4) {
      transform(re, im, false);
      return;
    }
    for (int h = n >> 1; h >= 4; h >>= 1) {
      int base = h - 1;
      for (int start = 0; start < n; start += 2 * h) {
        for (int k = 0; k < h; k++) {
          double wr = cos[base + k];
          double wi = -sin[base + k];
          int a = start + k;
          int b = a + h;
          double ar = re[a];
          double ai = im[a];
          double dr = ar - re[b];
          double di = ai - im[b];
          re[a] = ar + re[b];
          im[a] = ai + im[b];
          re[b] = dr * wr - di * wi;
          im[b] = dr * wi + di * wr;
        }
      }
    }
    // The last two stages together: twiddles 1 and -i.
    for (int a = 0; a < n; a += 4) {
      double r0 = re[a] + re[a + 2];
      double i0 = im[a] + im[a + 2];
      double r2 = re[a] - re[a + 2];
      double i2 = im[a] - im[a + 2];
      double r1 = re[a + 1] + re[a + 3];
      double i1 = im[a + 1] + im[a + 3];
      // (x1 - x3) times -i.
      double r3 = im[a + 1] - im[a + 3];
      double i3 = re[a + 3] - re[a + 1];
      re[a] = r0 + r1;
      im[a] = i0 + i1;
      re[a + 1] = r0 - r1;
      im[a + 1] = i0 - i1;
      re[a + 2] = r2 + r3;
      im[a + 2] = i2 + i3;
      re[a + 3] = r2 - r3;
      im[a + 3] = i2 - i3;
    }
  }

  /** Puts {@code re, im} into bit-reversed order (an involution: it also undoes itself). */
  public void permute(double[] re, double[] im) {
    for (int s = 0; s < swaps.length; s += 2) {
      int i = swaps[s];
      int j = swaps[s + 1];
      double t = re[i];
      re[i] = re[j];
      re[j] = t;
      t = im[i];
      im[i] = im[j];
      im[j] = t;
    }
  }

  private void ditStages(double[] re, double[] im, boolean inverse) {
    // Stages 1 and 2 together: a radix-4 butterfly whose twiddles are 1 and -i (or +i).
    double rot = inverse ? 1 : -1;
    for (int a = 0; a < n; a += 4) {
      double r0 = re[a] + re[a + 1];
      double i0 = im[a] + im[a + 1];
      double r1 = re[a] - re[a + 1];
      double i1 = im[a] - im[a + 1];
      double r2 = re[a + 2] + re[a + 3];
      double i2 = im[a + 2] + im[a + 3];
      double r3 = re[a + 2] - re[a + 3];
      double i3 = im[a + 2] - im[a + 3];
      // (r3, i3) times -i (forward) or +i (inverse).
      double tr = -rot * i3;
      double ti = rot * r3;
      re[a] = r0 + r2;
      im[a] = i0 + i2;
      re[a + 2] = r0 - r2;
      im[a + 2] = i0 - i2;
      re[a + 1] = r1 + tr;
      im[a + 1] = i1 + ti;
      re[a + 3] = r1 - tr;
      im[a + 3] = i1 - ti;
    }
    double sign = inverse ? 1 : -1;
    for (int h = 4; h < n; h <<= 1) {
      int base = h - 1;
      for (int start = 0; start < n; start += 2 * h) {
        for (int k = 0; k < h; k++) {
          double wr = cos[base + k];
          double wi = sign * sin[base + k];
          int a = start + k;
          int b = a + h;
          double xr = re[b] * wr - im[b] * wi;
          double xi = re[b] * wi + im[b] * wr;
          re[b] = re[a] - xr;
          im[b] = im[a] - xi;
          re[a] += xr;
          im[a] += xi;
        }
      }
    }
  }
}
