package io.wavegraph.audio.tempo;

import java.util.Random;

/** Click tracks and drum patterns with known beats, mono, synthesised here (fixed seeds). */
final class BeatSignals {
  static final double FIRST_BEAT = 0.5;

  private BeatSignals() {}

  /** True beat times of a constant tempo, from {@link #FIRST_BEAT} until 0.3 s before the end. */
  static double[] beats(double bpm, double seconds) {
    int n = Math.max(0, (int) Math.floor((seconds - 0.3 - FIRST_BEAT) / (60 / bpm)) + 1);
    double[] b = new double[n];
    for (int i = 0; i < n; i++) {
      b[i] = FIRST_BEAT + i * 60 / bpm;
    }
    return b;
  }

  /** A 10 ms 1 kHz blip on each beat over digital silence; every {@code accentEvery}th louder (0: all equal). */
  static float[] clicks(double bpm, double seconds, int rate, int accentEvery) {
    float[] x = new float[(int) (seconds * rate)];
    double[] beats = beats(bpm, seconds);
    for (int k = 0; k < beats.length; k++) {
      double a = accentEvery == 0 || k % accentEvery == 0 ? 0.5 : 0.125;
      int len = rate / 100;
      int at = (int) Math.round(beats[k] * rate);
      for (int i = 0; i < len && at + i < x.length; i++) {
        x[at + i] += (float) (a * Math.sin(2 * Math.PI * 1000 * i / rate) * Math.sqrt(0.5 + 0.5 * Math.cos(Math.PI * i / len)));
      }
    }
    return x;
  }

  /** Rock pattern: kick on beats 1 and 3, snare on 2 and 4, closed hi-hat in eighths. */
  static float[] drums(double bpm, double seconds, int rate) {
    Random random = new Random(7);
    float[] x = new float[(int) (seconds * rate)];
    double[] beats = beats(bpm, seconds);
    double period = 60 / bpm;
    for (int k = 0; k < beats.length; k++) {
      if (k % 2 == 0) {
        kick(x, beats[k], rate);
      } else {
        snare(x, beats[k], rate, random);
      }
      hat(x, beats[k], rate, 0.25, random);
      hat(x, beats[k] + period / 2, rate, 0.15, random);
    }
    return x;
  }

  /** Adds white noise of the given RMS. */
  static float[] withNoise(float[] x, double rms, long seed) {
    Random random = new Random(seed);
    float[] y = x.clone();
    for (int i = 0; i < y.length; i++) {
      y[i] += (float) (rms * random.nextGaussian());
    }
    return y;
  }

  private static void kick(float[] x, double t, int rate) {
    int at = (int) Math.round(t * rate);
    double phase = 0;
    for (int i = 0; i < rate / 4 && at + i < x.length; i++) {
      double s = (double) i / rate;
      phase += 2 * Math.PI * (50 + 100 * Math.exp(-s / 0.03)) / rate;
      x[at + i] += (float) (0.9 * Math.sin(phase) * Math.exp(-s / 0.08));
    }
  }

  private static void snare(float[] x, double t, int rate, Random random) {
    int at = (int) Math.round(t * rate);
    for (int i = 0; i < rate * 18 / 100 && at + i < x.length; i++) {
      double s = (double) i / rate;
      double v = 0.6 * random.nextGaussian() * Math.exp(-s / 0.04) + 0.5 * Math.sin(2 * Math.PI * 190 * s) * Math.exp(-s / 0.03);
      x[at + i] += (float) (0.4 * v);
    }
  }

  private static void hat(float[] x, double t, int rate, double amplitude, Random random) {
    int at = (int) Math.round(t * rate);
    double last = random.nextGaussian();
    for (int i = 0; i < rate * 4 / 100 && at + i < x.length; i++) {
      double n = random.nextGaussian();
      x[at + i] += (float) (amplitude * (n - last) / 2 * Math.exp(-(double) i / rate / 0.008));
      last = n;
    }
  }

  /**
   * F-measure of estimated against true beats with a {@code +-tolerance} window, each true beat
   * matched at most once; beats before {@code skip} seconds are ignored on both sides.
   */
  static double fMeasure(double[] estimated, double[] truth, double tolerance, double skip) {
    double[] est = java.util.Arrays.stream(estimated).filter(t -> t >= skip).toArray();
    double[] ref = java.util.Arrays.stream(truth).filter(t -> t >= skip).toArray();
    boolean[] used = new boolean[ref.length];
    int hits = 0;
    for (double e : est) {
      int best = -1;
      for (int j = 0; j < ref.length; j++) {
        if (!used[j] && (best < 0 || Math.abs(ref[j] - e) < Math.abs(ref[best] - e))) {
          best = j;
        }
      }
      if (best >= 0 && Math.abs(ref[best] - e) <= tolerance) {
        used[best] = true;
        hits++;
      }
    }
    if (hits == 0) {
      return 0;
    }
    double precision = (double) hits / est.length;
    double recall = (double) hits / ref.length;
    return 2 * precision * recall / (precision + recall);
  }
}
