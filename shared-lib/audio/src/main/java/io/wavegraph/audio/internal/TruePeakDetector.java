package io.wavegraph.audio.internal;

/**
 * Estimates the peak of the continuous signal by 4x oversampling (2x above 96 kHz, none above 192
 * kHz) with a 32-tap-per-phase Kaiser-windowed sinc, as BS.1770-4 Annex 2 suggests (it uses 12
 * taps per phase). Phase 0 is the input sample itself, so the result is never below the sample
 * peak. Inter-sample peaks within the last 16 samples are not examined.
 */
public final class TruePeakDetector {
  private static final int TAPS = 32;

  private final int factor;
  private final double[] coefs; // [tap * (factor - 1) + phase - 1]
  private final double[][] history; // each channel written twice so a window is always contiguous
  private int pos;
  private double peak;

  public TruePeakDetector(int sampleRate, int channels) {
    this.factor = sampleRate <= 96000 ? 4 : sampleRate <= 192000 ? 2 : 1;
    this.history = new double[channels][2 * TAPS];
    int phases = factor - 1;
    this.coefs = new double[TAPS * Math.max(phases, 1)];
    double beta = 7.0;
    double i0 = Kaiser.besselI0(beta);
    for (int p = 1; p < factor; p++) {
      double frac = (double) p / factor;
      for (int j = 0; j < TAPS; j++) {
        coefs[j * phases + p - 1] = Kaiser.kernel(frac + TAPS / 2 - 1 - j, 0.5, TAPS / 2, beta, i0);
      }
    }
  }

  /** Feeds one frame. */
  public void add(float[] interleaved, int offset) {
    int channels = history.length;
    for (int c = 0; c < channels; c++) {
      double x = interleaved[offset + c];
      double a = Math.abs(x);
      if (a > peak) {
        peak = a;
      }
      double[] h = history[c];
      h[pos] = x;
      h[pos + TAPS] = x;
    }
    pos = pos + 1 == TAPS ? 0 : pos + 1;
    if (factor == 1) {
      return;
    }
    for (int c = 0; c < channels; c++) {
      double[] h = history[c];
      if (factor == 4) { // three independent sums keep the pipeline busy
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        for (int j = 0, k = 0; j < TAPS; j++, k += 3) {
          double x = h[pos + j];
          s1 += x * coefs[k];
          s2 += x * coefs[k + 1];
          s3 += x * coefs[k + 2];
        }
        peak = Math.max(peak, Math.max(Math.abs(s1), Math.max(Math.abs(s2), Math.abs(s3))));
      } else {
        double s = 0;
        for (int j = 0; j < TAPS; j++) {
          s += h[pos + j] * coefs[j];
        }
        peak = Math.max(peak, Math.abs(s));
      }
    }
  }

  /** The largest absolute value seen, linear. */
  public double peak() {
    return peak;
  }
}
