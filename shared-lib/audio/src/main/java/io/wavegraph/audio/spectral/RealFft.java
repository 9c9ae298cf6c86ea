package io.wavegraph.audio.spectral;

/**
 * Forward discrete Fourier transform of a real signal whose length is a power of two, in double
 * precision: {@code X[k] = sum_n x[n] exp(-2 pi i k n / N)} for {@code k = 0 .. N/2} (the rest is
 * the conjugate mirror). Unnormalised, like {@code numpy.fft.rfft}.
 *
 * <p>The N real samples are packed as N/2 complex ones, transformed by an iterative radix-2 FFT and
 * split into the half spectrum, so a transform costs about half a complex FFT of size N. Twiddle
 * factors and the bit-reversal permutation are computed once per instance. An instance owns
 * scratch space and is not thread-safe.
 */
public final class RealFft {
  private final int n;
  private final int half;
  private final int[] bitReverse; // size half
  private final double[] cos; // exp(-2 pi i k / half) for k < half/2
  private final double[] sin;
  private final double[] splitCos; // exp(-2 pi i k / n) for k <= half
  private final double[] splitSin;
  private final double[] zr;
  private final double[] zi;

  public RealFft(int n) {
    if (n < 2 || Integer.bitCount(n) != 1) {
      throw new IllegalArgumentException("FFT size must be a power of two >= 2, got " + n);
    }
    this.n = n;
    this.half = n / 2;
    bitReverse = new int[half];
    int bits = Integer.numberOfTrailingZeros(half);
    for (int i = 0; i < half; i++) {
      bitReverse[i] = bits == 0 ? 0 : Integer.reverse(i) >>> (32 - bits);
    }
    cos = new double[Math.max(1, half / 2)];
    sin = new double[cos.length];
    for (int k = 0; k < cos.length; k++) {
      double a = -2 * Math.PI * k / half;
      cos[k] = Math.cos(a);
      sin[k] = Math.sin(a);
    }
    splitCos = new double[half + 1];
    splitSin = new double[half + 1];
    for (int k = 0; k <= half; k++) {
      double a = -2 * Math.PI * k / n;
      splitCos[k] = Math.cos(a);
      splitSin[k] = Math.sin(a);
    }
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
      int j = bitReverse[k];
      zr[j] = x[2 * k];
      zi[j] = x[2 * k + 1];
    }
    complexInPlace();
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

  private void complexInPlace() {
    for (int size = 2; size <= half; size <<= 1) {
      int h = size >>> 1;
      int step = half / size;
      for (int j = 0; j < h; j++) {
        double wr = cos[j * step];
        double wi = sin[j * step];
        for (int a = j; a < half; a += size) {
          int b = a + h;
          double tr = zr[b] * wr - zi[b] * wi;
          double ti = zr[b] * wi + zi[b] * wr;
          zr[b] = zr[a] - tr;
          zi[b] = zi[a] - ti;
          zr[a] += tr;
          zi[a] += ti;
        }
      }
    }
  }
}
