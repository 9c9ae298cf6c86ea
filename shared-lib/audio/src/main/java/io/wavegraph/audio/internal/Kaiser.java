package io.wavegraph.audio.internal;

/** Kaiser-windowed sinc design (the window, its beta for a target attenuation, and the kernel). */
public final class Kaiser {
  private Kaiser() {}

  /** Beta for a stopband attenuation in dB (Kaiser's empirical formula). */
  public static double beta(double attenuationDb) {
    if (attenuationDb > 50) {
      return 0.1102 * (attenuationDb - 8.7);
    }
    if (attenuationDb >= 21) {
      return 0.5842 * Math.pow(attenuationDb - 21, 0.4) + 0.07886 * (attenuationDb - 21);
    }
    return 0;
  }

  /**
   * Filter length (taps) for an attenuation and a transition width given in cycles per sample.
   */
  public static double length(double attenuationDb, double transitionWidth) {
    return (attenuationDb - 7.95) / (2.285 * 2 * Math.PI * transitionWidth) + 1;
  }

  /** Zeroth-order modified Bessel function of the first kind, by its power series. */
  public static double besselI0(double x) {
    double sum = 1;
    double term = 1;
    double q = x * x / 4;
    for (int k = 1; k < 200; k++) {
      term *= q / ((double) k * k);
      sum += term;
      if (term < sum * 1e-17) {
        break;
      }
    }
    return sum;
  }

  /**
   * The windowed-sinc kernel at {@code t} samples from its centre: a low-pass with cutoff {@code fc}
   * (cycles per sample, unit DC gain) under a Kaiser window reaching zero at {@code |t| = halfWidth}.
   */
  public static double kernel(double t, double fc, double halfWidth, double beta, double i0Beta) {
    double r = t / halfWidth;
    if (r <= -1 || r >= 1) {
      return 0;
    }
    double x = 2 * fc * t;
    double sinc = x == 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
    return 2 * fc * sinc * besselI0(beta * Math.sqrt(1 - r * r)) / i0Beta;
  }
}
