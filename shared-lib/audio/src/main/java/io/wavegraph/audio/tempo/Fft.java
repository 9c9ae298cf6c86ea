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
  }

  int size() {
    return n;
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
