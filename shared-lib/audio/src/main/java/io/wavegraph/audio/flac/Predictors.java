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
    // Each sample depends on the one before, so the loop is bound by that chain's latency. Unrolled
    // for the orders encoders use (flac -5 uses 8, -8 uses 12): the coefficients stay in registers,
    // the previous sample comes from a register rather than back from memory, and its product is
    // added last. Integer sums, so the order of the terms does not change the result.
    switch (order) {
      case 1 -> {
        long c0 = coefs[0];
        long last = s[0];
        for (int i = 1; i < n; i++) {
          last = s[i] += (c0 * last) >> shift;
        }
      }
      case 2 -> {
        long c0 = coefs[0]; long c1 = coefs[1];
        long last = s[1];
        for (int i = 2; i < n; i++) {
          last = s[i] += (c1 * s[i - 2] + c0 * last) >> shift;
        }
      }
      case 3 -> {
        long c0 = coefs[0]; long c1 = coefs[1]; long c2 = coefs[2];
        long last = s[2];
        for (int i = 3; i < n; i++) {
          last = s[i] += (c2 * s[i - 3] + c1 * s[i - 2] + c0 * last) >> shift;
        }
      }
      case 4 -> {
        long c0 = coefs[0]; long c1 = coefs[1]; long c2 = coefs[2]; long c3 = coefs[3];
        long last = s[3];
        for (int i = 4; i < n; i++) {
          last = s[i] += (c3 * s[i - 4] + c2 * s[i - 3] + c1 * s[i - 2] + c0 * last) >> shift;
        }
      }
      case 5 -> {
        long c0 = coefs[0]; long c1 = coefs[1]; long c2 = coefs[2]; long c3 = coefs[3]; long c4 = coefs[4];
        long last = s[4];
        for (int i = 5; i < n; i++) {
          last = s[i] += (c4 * s[i - 5] + c3 * s[i - 4] + c2 * s[i - 3] + c1 * s[i - 2]
              + c0 * last) >> shift;
        }
      }
      case 6 -> {
        long c0 = coefs[0]; long c1 = coefs[1]; long c2 = coefs[2]; long c3 = coefs[3]; long c4 = coefs[4]; long c5 = coefs[5];
        long last = s[5];
        for (int i = 6; i < n; i++) {
          last = s[i] += (c5 * s[i - 6] + c4 * s[i - 5] + c3 * s[i - 4] + c2 * s[i - 3]
              + c1 * s[i - 2] + c0 * last) >> shift;
        }
      }
      case 7 -> {
        long c0 = coefs[0]; long c1 = coefs[1]; long c2 = coefs[2]; long c3 = coefs[3]; long c4 = coefs[4]; long c5 = coefs[5]; long c6 = coefs[6];
        long last = s[6];
        for (int i = 7; i < n; i++) {
          last = s[i] += (c6 * s[i - 7] + c5 * s[i - 6] + c4 * s[i - 5] + c3 * s[i - 4]
              + c2 * s[i - 3] + c1 * s[i - 2] + c0 * last) >> shift;
        }
      }
      case 8 -> {
        long c0 = coefs[0]; long c1 = coefs[1]; long c2 = coefs[2]; long c3 = coefs[3]; long c4 = coefs[4]; long c5 = coefs[5]; long c6 = coefs[6]; long c7 = coefs[7];
        long last = s[7];
        for (int i = 8; i < n; i++) {
          last = s[i] += (c7 * s[i - 8] + c6 * s[i - 7] + c5 * s[i - 6] + c4 * s[i - 5]
              + c3 * s[i - 4] + c2 * s[i - 3] + c1 * s[i - 2] + c0 * last) >> shift;
        }
      }
      case 9 -> {
        long c0 = coefs[0]; long c1 = coefs[1]; long c2 = coefs[2]; long c3 = coefs[3]; long c4 = coefs[4]; long c5 = coefs[5]; long c6 = coefs[6]; long c7 = coefs[7]; long c8 = coefs[8];
        long last = s[8];
        for (int i = 9; i < n; i++) {
          last = s[i] += (c8 * s[i - 9] + c7 * s[i - 8] + c6 * s[i - 7] + c5 * s[i - 6]
              + c4 * s[i - 5] + c3 * s[i - 4] + c2 * s[i - 3] + c1 * s[i - 2]
              + c0 * last) >> shift;
        }
      }
      case 10 -> {
        long c0 = coefs[0]; long c1 = coefs[1]; long c2 = coefs[2]; long c3 = coefs[3]; long c4 = coefs[4]; long c5 = coefs[5]; long c6 = coefs[6]; long c7 = coefs[7]; long c8 = coefs[8]; long c9 = coefs[9];
        long last = s[9];
        for (int i = 10; i < n; i++) {
          last = s[i] += (c9 * s[i - 10] + c8 * s[i - 9] + c7 * s[i - 8] + c6 * s[i - 7]
              + c5 * s[i - 6] + c4 * s[i - 5] + c3 * s[i - 4] + c2 * s[i - 3]
              + c1 * s[i - 2] + c0 * last) >> shift;
        }
      }
      case 11 -> {
        long c0 = coefs[0]; long c1 = coefs[1]; long c2 = coefs[2]; long c3 = coefs[3]; long c4 = coefs[4]; long c5 = coefs[5]; long c6 = coefs[6]; long c7 = coefs[7]; long c8 = coefs[8]; long c9 = coefs[9]; long c10 = coefs[10];
        long last = s[10];
        for (int i = 11; i < n; i++) {
          last = s[i] += (c10 * s[i - 11] + c9 * s[i - 10] + c8 * s[i - 9] + c7 * s[i - 8]
              + c6 * s[i - 7] + c5 * s[i - 6] + c4 * s[i - 5] + c3 * s[i - 4]
              + c2 * s[i - 3] + c1 * s[i - 2] + c0 * last) >> shift;
        }
      }
      case 12 -> {
        long c0 = coefs[0]; long c1 = coefs[1]; long c2 = coefs[2]; long c3 = coefs[3]; long c4 = coefs[4]; long c5 = coefs[5]; long c6 = coefs[6]; long c7 = coefs[7]; long c8 = coefs[8]; long c9 = coefs[9]; long c10 = coefs[10]; long c11 = coefs[11];
        long last = s[11];
        for (int i = 12; i < n; i++) {
          last = s[i] += (c11 * s[i - 12] + c10 * s[i - 11] + c9 * s[i - 10] + c8 * s[i - 9]
              + c7 * s[i - 8] + c6 * s[i - 7] + c5 * s[i - 6] + c4 * s[i - 5]
              + c3 * s[i - 4] + c2 * s[i - 3] + c1 * s[i - 2] + c0 * last) >> shift;
        }
      }
      default -> {
        for (int i = order; i < n; i++) {
          long sum = 0;
          for (int j = 0; j < order; j++) {
            sum += coefs[j] * s[i - 1 - j];
          }
          s[i] += sum >> shift;
        }
      }
    }
  }
}
