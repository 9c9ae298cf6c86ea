package io.wavegraph.audio.tempo;

/** Triangular mel-spaced filters (HTK mel scale) that sum FFT power bins into bands. */
final class MelBands {
  private final int[] first;
  private final double[][] weights;
  private final double[] centres;

  MelBands(int fftSize, int rate, int bands, double lowHz, double highHz) {
    first = new int[bands];
    weights = new double[bands][];
    double lo = mel(lowHz);
    double hi = mel(highHz);
    double[] edges = new double[bands + 2];
    for (int i = 0; i < edges.length; i++) {
      edges[i] = hz(lo + (hi - lo) * i / (bands + 1));
    }
    centres = new double[bands];
    for (int b = 0; b < bands; b++) {
      centres[b] = edges[b + 1];
    }
    double binHz = (double) rate / fftSize;
    for (int b = 0; b < bands; b++) {
      double left = edges[b];
      double centre = edges[b + 1];
      double right = edges[b + 2];
      int k0 = (int) Math.ceil(left / binHz);
      int k1 = Math.min((int) Math.floor(right / binHz), fftSize / 2);
      // Low bands are narrower than a bin: widen them to the nearest bin so none is empty.
      if (k1 < k0) {
        k0 = k1 = (int) Math.round(centre / binHz);
      }
      first[b] = k0;
      double[] w = new double[k1 - k0 + 1];
      double sum = 0;
      for (int k = k0; k <= k1; k++) {
        double f = k * binHz;
        double v = f <= centre ? (f - left) / (centre - left) : (right - f) / (right - centre);
        w[k - k0] = Math.max(v, 0);
        sum += w[k - k0];
      }
      if (sum == 0) {
        w[(int) Math.min(w.length - 1, Math.max(0, Math.round(centre / binHz) - k0))] = 1;
      }
      weights[b] = w;
    }
  }

  /** Number of leading bands whose centre frequency is below {@code hz}. */
  int bandsBelow(double hz) {
    int n = 0;
    while (n < centres.length && centres[n] < hz) {
      n++;
    }
    return n;
  }

  void apply(double[] power, double[] out) {
    for (int b = 0; b < weights.length; b++) {
      double[] w = weights[b];
      double s = 0;
      for (int i = 0; i < w.length; i++) {
        s += w[i] * power[first[b] + i];
      }
      out[b] = s;
    }
  }

  private static double mel(double hz) {
    return 2595 * Math.log10(1 + hz / 700);
  }

  private static double hz(double mel) {
    return 700 * (Math.pow(10, mel / 2595) - 1);
  }
}
