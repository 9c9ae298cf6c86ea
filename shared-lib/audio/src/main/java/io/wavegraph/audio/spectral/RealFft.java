package io.wavegraph.audio.spectral;

import io.wavegraph.audio.internal.Fft;

/**
 * Forward discrete Fourier transform of a real signal whose length is a power of two, in double
 * precision: {@code X[k] = sum_n x[n] exp(-2 pi i k n / N)} for {@code k = 0 .. N/2} (the rest is
 * the conjugate mirror). Unnormalised, like {@code numpy.fft.rfft}.
 *
 * <p>The N real samples are packed as N/2 complex ones, transformed by an iterative radix-2 FFT and
 * split into the half spectrum (the complex transform is the shared {@link Fft}), so a transform
 * costs about half a complex FFT of size N. An instance owns
 * scratch space and is not thread-safe.
 */
public final class RealFft {
  private final int n;
  private final int half;
  private final Fft complex;
  private final double[] splitCos; // exp(-2 pi i k / n) for k <= half
  private final double[] splitSin;
  private final double[] zr;
  private final double[] zi;

  /** The split twiddles depend only on N: made once per size and shared (never written). */
  private static final java.util.concurrent.ConcurrentHashMap<Integer, double[][]> SPLIT =
      new java.util.concurrent.ConcurrentHashMap<>();

  private static double[][] splitTables(int n) {
    int half = n / 2;
    double[] c = new double[half + 1];
    double[] s = new double[half + 1];
    for (int k = 0; k <= half; k++) {
      double a = -2 * Math.PI * k / n;
      c[k] = Math.cos(a);
      s[k] = Math.sin(a);
    }
    return new double[][] {c, s};
  }

  public RealFft(int n) {
    if (n < 2 || Integer.bitCount(n) != 1) {
      throw new IllegalArgumentException("FFT size must be a power of two >= 2, got " + n);
    }
    this.n = n;
    this.half = n / 2;
    complex = Fft.of(half);
    double[][] split = SPLIT.computeIfAbsent(n, RealFft::splitTables);
    splitCos = split[0];
    splitSin = split[1];
    zr = new double[half];
    zi = new double[half];
  }

  /** The transform length N. */
  public int size() {
    return n;
  }

  /** Number of output bins, {@code N/2 + 1}. */
  public int bins() {
    return half + 1;
  }

  /**
   * Transforms {@code x[0..N)} into {@code re[0..N/2]} and {@code im[0..N/2]}; {@code x} is not
   * modified.
   */
  public void forward(double[] x, double[] re, double[] im) {
    for (int k = 0; k < half; k++) {
      zr[k] = x[2 * k];
      zi[k] = x[2 * k + 1];
    }
    complex.transform(zr, zi, false);
    // Split the packed transform Z into the spectrum of the even and odd samples, then combine.
    for (int k = 0; k <= half; k++) {
      int a = k == half ? 0 : k;
      int b = k == 0 ? 0 : half - k;
      double ar = zr[a];
      double ai = zi[a];
      double br = zr[b];
      double bi = -zi[b]; // conj(Z[N/2 - k])
      double er = 0.5 * (ar + br);
      double ei = 0.5 * (ai + bi);
      double or = 0.5 * (ai - bi); // -i (Z[k] - conj Z[N/2-k]) / 2
      double oi = -0.5 * (ar - br);
      double wr = splitCos[k];
      double wi = splitSin[k];
      re[k] = er + or * wr - oi * wi;
      im[k] = ei + or * wi + oi * wr;
    }
  }
}
