package io.wavegraph.audio.tempo;

/**
 * In-place radix-2 complex FFT of one fixed power-of-two size, with its twiddles and bit-reversal
 * table computed once. Not thread-safe only in the sense that callers own the arrays they pass.
 */
final class Fft {
  private final int n;
  private final int[] reversed;
  private final double[] cos;
  private final double[] sin;
  private final double[] unpackCos; // twiddles of the real transform of length 2n
  private final double[] unpackSin;

  Fft(int n) {
    if (n < 2 || Integer.bitCount(n) != 1) {
      throw new IllegalArgumentException("FFT size must be a power of two >= 2: " + n);
    }
    this.n = n;
    int bits = Integer.numberOfTrailingZeros(n);
    reversed = new int[n];
    for (int i = 0; i < n; i++) {
      reversed[i] = Integer.reverse(i) >>> (32 - bits);
    }
    cos = new double[n / 2];
    sin = new double[n / 2];
    for (int i = 0; i < n / 2; i++) {
      cos[i] = Math.cos(2 * Math.PI * i / n);
      sin[i] = -Math.sin(2 * Math.PI * i / n);
    }
    unpackCos = new double[n + 1];
    unpackSin = new double[n + 1];
    for (int k = 0; k <= n; k++) {
      unpackCos[k] = Math.cos(Math.PI * k / n);
      unpackSin[k] = -Math.sin(Math.PI * k / n);
    }
  }

  int size() {
    return n;
  }

  /**
   * Power spectrum {@code |X[k]|^2, k = 0..m/2} of a real signal of length {@code m = 2 * size()},
   * by one complex transform of half the length: even samples as the real part, odd as the
   * imaginary, then separated. {@code re} and {@code im} are scratch of length {@link #size()}.
   */
  void realPower(double[] x, double[] re, double[] im, double[] power) {
    for (int i = 0; i < n; i++) {
      re[i] = x[2 * i];
      im[i] = x[2 * i + 1];
    }
    transform(re, im);
    for (int k = 0; k <= n; k++) {
      int a = k % n;
      int b = (n - k) % n;
      // Even part E = (Z[k] + conj Z[n-k]) / 2, odd part O = (Z[k] - conj Z[n-k]) / 2i.
      double er = 0.5 * (re[a] + re[b]);
      double ei = 0.5 * (im[a] - im[b]);
      double or = 0.5 * (im[a] + im[b]);
      double oi = -0.5 * (re[a] - re[b]);
      double c = unpackCos[k];
      double s = unpackSin[k];
      double xr = er + c * or - s * oi;
      double xi = ei + c * oi + s * or;
      power[k] = xr * xr + xi * xi;
    }
  }

  /** Forward transform of {@code re + i im}, both of length {@link #size()}, in place. */
  void transform(double[] re, double[] im) {
    for (int i = 0; i < n; i++) {
      int j = reversed[i];
      if (j > i) {
        double t = re[i];
        re[i] = re[j];
        re[j] = t;
        t = im[i];
        im[i] = im[j];
        im[j] = t;
      }
    }
    for (int len = 2; len <= n; len <<= 1) {
      int half = len >> 1;
      int step = n / len;
      for (int start = 0; start < n; start += len) {
        for (int k = 0; k < half; k++) {
          double wr = cos[k * step];
          double wi = sin[k * step];
          int a = start + k;
          int b = a + half;
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
