package io.wavegraph.audio.tempo;

/**
 * Normalised autocorrelation of an onset-strength curve: {@code r(0) = 1}, and {@code r(lag)} near
 * 1 means the curve repeats almost exactly after {@code lag} frames. Each lag's sum is divided by
 * the number of terms in it, so long lags are not penalised for overlapping less.
 */
final class Periodicity {
  private final double[] r;

  private Periodicity(double[] r) {
    this.r = r;
  }

  /** Autocorrelation of {@code x} for lags {@code 0..maxLag} (fewer if {@code x} is shorter). */
  static Periodicity of(double[] x, int maxLag) {
    int top = Math.min(maxLag, x.length - 1);
    double[] r = new double[Math.max(top, 0) + 1];
    for (int lag = 0; lag <= top; lag++) {
      double s = 0;
      for (int i = lag; i < x.length; i++) {
        s += x[i] * x[i - lag];
      }
      r[lag] = s / (x.length - lag);
    }
    double zero = r.length > 0 ? r[0] : 0;
    for (int lag = 0; lag < r.length; lag++) {
      r[lag] = zero > 0 ? r[lag] / zero : 0;
    }
    return new Periodicity(r);
  }

  int maxLag() {
    return r.length - 1;
  }

  /** A local maximum: its lag refined between frames, and its height. */
  record Peak(double lag, double strength) {}

  /**
   * The highest value at integer lags within {@code [lo, hi]}, refined by a parabola through it and
   * its neighbours; strength 0 at lag {@code (lo + hi) / 2} when the range holds no lag.
   */
  Peak highest(double lo, double hi) {
    int a = Math.max(1, (int) Math.ceil(lo));
    int b = Math.min(maxLag(), (int) Math.floor(hi));
    if (a > b) {
      return new Peak((lo + hi) / 2, 0);
    }
    int best = a;
    for (int lag = a + 1; lag <= b; lag++) {
      if (r[lag] > r[best]) {
        best = lag;
      }
    }
    if (best <= 0 || best >= maxLag()) {
      return new Peak(best, r[best]);
    }
    double left = r[best - 1];
    double mid = r[best];
    double right = r[best + 1];
    double curve = left - 2 * mid + right;
    if (curve >= 0) {
      return new Peak(best, mid);
    }
    double shift = Math.max(-0.5, Math.min(0.5, 0.5 * (left - right) / curve));
    return new Peak(best + shift, mid - 0.25 * (left - right) * shift);
  }
}
