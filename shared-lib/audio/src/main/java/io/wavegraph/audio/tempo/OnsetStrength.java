package io.wavegraph.audio.tempo;

/** Turns band levels into one onset-strength curve, ready for periodicity analysis and beat tracking. */
final class OnsetStrength {
  /** Gaussian smoothing, frames: spreads each onset over +-3 frames so that periods that fall between frames still line up. */
  private static final double SMOOTH_FRAMES = 1.5;
  /** Half-width of the moving average removed from the curve (0.5 s): slow level changes are not onsets. */
  private static final int DETREND_FRAMES = 86;

  private OnsetStrength() {}

  /**
   * Mean over bands {@code [fromBand, toBand)} of the rise in level since the previous frame,
   * smoothed, minus its local mean. The result has one value per frame, and zero mean locally.
   */
  static double[] of(OnsetEnvelope.BandLevels levels, int fromBand, int toBand) {
    int frames = levels.frames();
    int bands = levels.bands();
    float[] db = levels.db();
    double[] flux = new double[frames];
    for (int n = 1; n < frames; n++) {
      double sum = 0;
      int at = n * bands;
      for (int b = fromBand; b < toBand; b++) {
        double rise = db[at + b] - db[at - bands + b];
        if (rise > 0) {
          sum += rise;
        }
      }
      flux[n] = sum / Math.max(1, toBand - fromBand);
    }
    return detrend(smooth(flux));
  }

  private static double[] smooth(double[] x) {
    int w = (int) Math.ceil(3 * SMOOTH_FRAMES);
    double[] kernel = new double[2 * w + 1];
    double total = 0;
    for (int i = -w; i <= w; i++) {
      kernel[i + w] = Math.exp(-0.5 * i * i / (SMOOTH_FRAMES * SMOOTH_FRAMES));
      total += kernel[i + w];
    }
    double[] out = new double[x.length];
    for (int n = 0; n < x.length; n++) {
      double s = 0;
      for (int i = -w; i <= w; i++) {
        int j = n + i;
        if (j >= 0 && j < x.length) {
          s += kernel[i + w] * x[j];
        }
      }
      out[n] = s / total;
    }
    return out;
  }

  private static double[] detrend(double[] x) {
    double[] prefix = new double[x.length + 1];
    for (int n = 0; n < x.length; n++) {
      prefix[n + 1] = prefix[n] + x[n];
    }
    double[] out = new double[x.length];
    for (int n = 0; n < x.length; n++) {
      int lo = Math.max(0, n - DETREND_FRAMES);
      int hi = Math.min(x.length, n + DETREND_FRAMES + 1);
      out[n] = x[n] - (prefix[hi] - prefix[lo]) / (hi - lo);
    }
    return out;
  }
}
