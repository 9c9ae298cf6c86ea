package io.wavegraph.audio.internal;

/**
 * Estimates the peak of the continuous signal by 4x oversampling (2x above 96 kHz, none above 192
 * kHz) with a 32-tap-per-phase Kaiser-windowed sinc, as BS.1770-4 Annex 2 suggests (it uses 12
 * taps per phase). Phase 0 is the input sample itself, so the result is never below the sample
 * peak. Inter-sample peaks within the last 16 samples are not examined.
 */
public final class TruePeakDetector {
  private static final int TAPS = 32;

  private static final int BLOCK = 1024;

  private final int factor;
  private final double[][] phaseCoefs; // [phase - 1][tap]
  private final double[] phaseGain; // sum of |coefficients| per phase
  private final double[][] planar; // per channel: the last TAPS - 1 samples, then the block
  private final double[] acc = new double[BLOCK];
  private double peak;

  public TruePeakDetector(int sampleRate, int channels) {
    this.factor = sampleRate <= 96000 ? 4 : sampleRate <= 192000 ? 2 : 1;
    this.planar = new double[channels][TAPS - 1 + BLOCK];
    int phases = factor - 1;
    this.phaseCoefs = new double[Math.max(phases, 1)][TAPS];
    this.phaseGain = new double[Math.max(phases, 1)];
    double beta = 7.0;
    double i0 = Kaiser.besselI0(beta);
    for (int p = 1; p < factor; p++) {
      double frac = (double) p / factor;
      for (int j = 0; j < TAPS; j++) {
        phaseCoefs[p - 1][j] = Kaiser.kernel(frac + TAPS / 2 - 1 - j, 0.5, TAPS / 2, beta, i0);
        phaseGain[p - 1] += Math.abs(phaseCoefs[p - 1][j]);
      }
    }
  }

  /**
   * Feeds {@code frames} interleaved frames. The same values as feeding them one at a time: each
   * output still sums its 32 taps in order, but block-wise, one tap at a time across a run of
   * outputs, which the JIT turns into vector instructions (the frame-at-a-time loop was most of a
   * loudness measurement's time).
   */
  public void add(float[] interleaved, int frames) {
    int channels = planar.length;
    for (int done = 0; done < frames; ) {
      int n = Math.min(BLOCK, frames - done);
      for (int c = 0; c < channels; c++) {
        double[] x = planar[c];
        double pk = peak;
        double windowMax = 0; // over the block and the history its windows reach back into
        for (int i = 0; i < TAPS - 1; i++) windowMax = Math.max(windowMax, Math.abs(x[i]));
        for (int i = 0, s = done * channels + c; i < n; i++, s += channels) {
          double v = interleaved[s];
          x[TAPS - 1 + i] = v;
          double a = Math.abs(v);
          if (a > pk) pk = a;
          if (a > windowMax) windowMax = a;
        }
        peak = pk;
        if (factor > 1) {
          for (int p = 0; p < factor - 1; p++) {
            // No interpolated value can exceed the largest sample its window holds times the sum
            // of |coefficients|: when that bound is not above the peak so far, the phase cannot
            // raise it and is skipped. Exact (the result is the same), and most blocks of music
            // are quieter than the loudest moment.
            if (windowMax * phaseGain[p] <= peak) continue;
            double[] y = acc;
            java.util.Arrays.fill(y, 0, n, 0.0);
            for (int j = 0; j < TAPS; j++) {
              double h = phaseCoefs[p][j];
              for (int i = 0; i < n; i++) y[i] += x[i + j] * h;
            }
            double m = peak;
            for (int i = 0; i < n; i++) m = Math.max(m, Math.abs(y[i]));
            peak = m;
          }
        }
        // Keep the last TAPS - 1 samples as the next block's history.
        System.arraycopy(x, n, x, 0, TAPS - 1);
      }
      done += n;
    }
  }

  /** The largest absolute value seen, linear. */
  public double peak() {
    return peak;
  }
}
