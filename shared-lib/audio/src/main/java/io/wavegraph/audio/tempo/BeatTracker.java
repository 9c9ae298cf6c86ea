package io.wavegraph.audio.tempo;

import java.util.Arrays;

/**
 * Places beats on an onset-strength curve by dynamic programming (after D. Ellis, "Beat tracking
 * by dynamic programming", 2007): the best chain of beats maximises the onset strength at the beats
 * minus a penalty for each gap that strays from the period, {@code TIGHTNESS * ln(gap / period)^2}.
 * The chain may drift with the music (a slow tempo ramp) but not jump between metrical levels.
 */
final class BeatTracker {
  /** Weight of the gap penalty against onset strength in units of its standard deviation. */
  private static final double TIGHTNESS = 100;

  private BeatTracker() {}

  /**
   * Beat positions in frames, ascending, each refined to the nearest onset peak (between frames).
   * Empty when the curve is flat.
   */
  static double[] track(double[] onset, double period) {
    int n = onset.length;
    double std = std(onset);
    if (n == 0 || !(std > 0) || !(period >= 1)) {
      return new double[0];
    }
    double[] local = new double[n];
    for (int i = 0; i < n; i++) {
      local[i] = onset[i] / std;
    }
    double[] score = new double[n];
    int[] previous = new int[n];
    int shortest = (int) Math.max(1, Math.round(period / 2));
    int longest = (int) Math.round(period * 2);
    double[] penalty = new double[longest + 1];
    for (int gap = shortest; gap <= longest; gap++) {
      double l = Math.log(gap / period);
      penalty[gap] = TIGHTNESS * l * l;
    }
    for (int t = 0; t < n; t++) {
      double best = 0; // a chain may also start here
      int from = -1;
      for (int gap = shortest; gap <= longest && gap <= t; gap++) {
        double s = score[t - gap] - penalty[gap];
        if (s > best) {
          best = s;
          from = t - gap;
        }
      }
      score[t] = local[t] + best;
      previous[t] = from;
    }
    // The chain ends at the best score within the last period.
    int end = n - 1;
    for (int t = Math.max(0, n - (int) Math.ceil(period)); t < n; t++) {
      if (score[t] > score[end]) {
        end = t;
      }
    }
    int[] chain = new int[n];
    int count = 0;
    for (int t = end; t >= 0; t = previous[t]) {
      chain[count++] = t;
    }
    double[] beats = new double[count];
    int window = (int) Math.max(1, Math.round(period / 8));
    for (int i = 0; i < count; i++) {
      beats[i] = refine(onset, chain[count - 1 - i], window);
    }
    Arrays.sort(beats);
    return beats;
  }

  /** The onset peak within {@code +-window} frames of {@code at}, interpolated between frames. */
  private static double refine(double[] onset, int at, int window) {
    int best = at;
    for (int i = Math.max(0, at - window); i <= Math.min(onset.length - 1, at + window); i++) {
      if (onset[i] > onset[best]) {
        best = i;
      }
    }
    if (best == 0 || best == onset.length - 1) {
      return best;
    }
    double left = onset[best - 1];
    double mid = onset[best];
    double right = onset[best + 1];
    double curve = left - 2 * mid + right;
    return curve < 0 ? best + Math.max(-0.5, Math.min(0.5, 0.5 * (left - right) / curve)) : best;
  }

  private static double std(double[] x) {
    double mean = 0;
    for (double v : x) {
      mean += v;
    }
    mean /= Math.max(1, x.length);
    double s = 0;
    for (double v : x) {
      s += (v - mean) * (v - mean);
    }
    return Math.sqrt(s / Math.max(1, x.length));
  }
}
