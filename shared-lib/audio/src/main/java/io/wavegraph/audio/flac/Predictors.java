package io.wavegraph.audio.flac;

/** Undoes FIXED and LPC prediction in place: on entry out[order..n) holds residuals. */
final class Predictors {
  private Predictors() {}

  static void restoreFixed(long[] s, int n, int order) {
    switch (order) {
      case 0 -> {}
      case 1 -> {
        for (int i = 1; i < n; i++) {
          s[i] += s[i - 1];
        }
      }
      case 2 -> {
        for (int i = 2; i < n; i++) {
          s[i] += 2 * s[i - 1] - s[i - 2];
        }
      }
      case 3 -> {
        for (int i = 3; i < n; i++) {
          s[i] += 3 * (s[i - 1] - s[i - 2]) + s[i - 3];
        }
      }
      case 4 -> {
        for (int i = 4; i < n; i++) {
          s[i] += 4 * (s[i - 1] + s[i - 3]) - 6 * s[i - 2] - s[i - 4];
        }
      }
      default -> throw new IllegalArgumentException("fixed order " + order);
    }
  }

  static void restoreLpc(long[] s, int n, long[] coefs, int order, int shift) {
    if (order == 2) { // common low orders unrolled; the generic loop handles the rest
      long c0 = coefs[0];
      long c1 = coefs[1];
      for (int i = 2; i < n; i++) {
        s[i] += (c0 * s[i - 1] + c1 * s[i - 2]) >> shift;
      }
      return;
    }
    for (int i = order; i < n; i++) {
      long sum = 0;
      for (int j = 0; j < order; j++) {
        sum += coefs[j] * s[i - 1 - j];
      }
      s[i] += sum >> shift;
    }
  }
}
