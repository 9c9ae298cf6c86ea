package io.wavegraph.audio;

/** Test signals and measurements on them. */
final class Signals {
  private Signals() {}

  /** Interleaved sine on every channel: {@code amplitude * sin(2 pi f n / rate)}. */
  static float[] sine(double f, int rate, int frames, int channels, double amplitude) {
    float[] s = new float[frames * channels];
    for (int n = 0; n < frames; n++) {
      float v = (float) (amplitude * Math.sin(2 * Math.PI * f * n / rate));
      for (int c = 0; c < channels; c++) {
        s[n * channels + c] = v;
      }
    }
    return s;
  }

  /**
   * Least-squares fit of {@code a sin + b cos} at frequency {@code f} to one channel over frames
   * [from, to). Returns {amplitude, phase (radians, 0 for a pure sine), rms of what is left}.
   */
  static double[] fitSine(float[] x, int channels, int channel, double f, int rate, int from, int to) {
    double ss = 0;
    double cc = 0;
    double sc = 0;
    double ys = 0;
    double yc = 0;
    for (int n = from; n < to; n++) {
      double w = 2 * Math.PI * f * n / rate;
      double s = Math.sin(w);
      double c = Math.cos(w);
      double y = x[n * channels + channel];
      ss += s * s;
      cc += c * c;
      sc += s * c;
      ys += y * s;
      yc += y * c;
    }
    double det = ss * cc - sc * sc;
    double a = (ys * cc - yc * sc) / det;
    double b = (yc * ss - ys * sc) / det;
    double res = 0;
    for (int n = from; n < to; n++) {
      double w = 2 * Math.PI * f * n / rate;
      double e = x[n * channels + channel] - (a * Math.sin(w) + b * Math.cos(w));
      res += e * e;
    }
    return new double[] {Math.hypot(a, b), Math.atan2(b, a), Math.sqrt(res / (to - from))};
  }

  static double rms(float[] x, int channels, int channel, int from, int to) {
    double sum = 0;
    for (int n = from; n < to; n++) {
      double v = x[n * channels + channel];
      sum += v * v;
    }
    return Math.sqrt(sum / (to - from));
  }

  /** Level in dB relative to a full-scale sine (RMS 1/sqrt(2)). */
  static double dbRelFullScaleSine(double rms) {
    return 20 * Math.log10(rms * Math.sqrt(2));
  }
}
