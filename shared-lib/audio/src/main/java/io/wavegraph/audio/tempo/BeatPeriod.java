package io.wavegraph.audio.tempo;

/**
 * The mean beat period of tracked beats: the slope of a least-squares line through the beat times
 * against their beat numbers, where a gap of about {@code k} periods counts as {@code k} beats. This
 * is far more precise than the autocorrelation lag (a whole track's beats, not one peak), and for
 * music that speeds up it is the average period.
 */
final class BeatPeriod {
  /** The fit is trusted only within this fraction of the estimated period. */
  private static final double AGREEMENT = 0.08;

  private BeatPeriod() {}

  /** The fitted period in frames, or {@code estimate} when there are too few beats or they disagree with it. */
  static double fit(double[] beats, double estimate) {
    if (beats.length < 4) {
      return estimate;
    }
    double[] index = new double[beats.length];
    for (int i = 1; i < beats.length; i++) {
      index[i] = index[i - 1] + Math.max(1, Math.round((beats[i] - beats[i - 1]) / estimate));
    }
    double mx = 0;
    double my = 0;
    for (int i = 0; i < beats.length; i++) {
      mx += index[i];
      my += beats[i];
    }
    mx /= beats.length;
    my /= beats.length;
    double sxy = 0;
    double sxx = 0;
    for (int i = 0; i < beats.length; i++) {
      sxy += (index[i] - mx) * (beats[i] - my);
      sxx += (index[i] - mx) * (index[i] - mx);
    }
    double slope = sxy / sxx;
    return Math.abs(slope / estimate - 1) <= AGREEMENT ? slope : estimate;
  }
}
