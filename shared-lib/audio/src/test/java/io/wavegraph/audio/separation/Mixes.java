package io.wavegraph.audio.separation;

import java.util.SplittableRandom;

/** Mixtures made from known sources, and the signal-to-distortion ratio of an estimate. */
final class Mixes {
  private Mixes() {}

  /** A sustained chord: sines at 220, 277, 330 and 440 Hz with a few harmonics each. */
  static float[] chord(int rate, int samples) {
    float[] x = new float[samples];
    double[] f = {220, 277.2, 329.6, 440};
    for (int i = 0; i < samples; i++) {
      double t = (double) i / rate;
      double v = 0;
      for (double f0 : f) {
        for (int h = 1; h <= 4; h++) v += 0.06 / h * Math.sin(2 * Math.PI * f0 * h * t + h);
      }
      x[i] = (float) v;
    }
    return x;
  }

  /** Drum-like hits every {@code period} seconds: white noise decaying in 30 ms, and a click. */
  static float[] hits(int rate, int samples, double period, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    float[] x = new float[samples];
    int step = (int) (period * rate);
    for (int start = step / 4; start < samples; start += step) {
      for (int i = 0; i < rate / 10 && start + i < samples; i++) {
        x[start + i] += (float) (0.5 * Math.exp(-i / (0.03 * rate)) * (2 * rnd.nextDouble() - 1));
      }
    }
    return x;
  }

  /**
   * A sung-like line that does not repeat: a harmonic tone whose pitch glides between random notes
   * with vibrato, in phrases separated by rests.
   */
  static float[] voice(int rate, int samples, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    float[] x = new float[samples];
    double phase = 0;
    double f = 300;
    double target = 300;
    for (int i = 0; i < samples; i++) {
      if (i % (rate / 3) == 0) target = 200 + 300 * rnd.nextDouble();
      f += (target - f) * 0.0005;
      double t = (double) i / rate;
      double inst = f * (1 + 0.02 * Math.sin(2 * Math.PI * 5.5 * t));
      phase += 2 * Math.PI * inst / rate;
      double phrase = Math.sin(Math.PI * ((t % 2.3) / 2.3));
      double env = phrase > 0.3 ? phrase : 0;
      double v = 0;
      for (int h = 1; h <= 6; h++) v += Math.sin(h * phase) / h;
      x[i] = (float) (0.15 * env * v);
    }
    return x;
  }

  /** A loop of {@code loop} seconds (two chords and hi-hat ticks) repeated to fill the length. */
  static float[] loop(int rate, int samples, double loop) {
    int n = (int) (loop * rate);
    float[] one = new float[n];
    float[] ticks = hits(rate, n, loop / 4, 3);
    for (int i = 0; i < n; i++) {
      double t = (double) i / rate;
      double root = i < n / 2 ? 110 : 146.8;
      double v = 0;
      for (double ratio : new double[] {1, 1.26, 1.5, 2}) {
        for (int h = 1; h <= 3; h++) v += 0.05 / h * Math.sin(2 * Math.PI * root * ratio * h * t);
      }
      one[i] = (float) (v + 0.4 * ticks[i]);
    }
    float[] x = new float[samples];
    for (int i = 0; i < samples; i++) x[i] = one[i % n];
    return x;
  }

  static float[] sum(float[] a, float[] b) {
    float[] s = new float[a.length];
    for (int i = 0; i < a.length; i++) s[i] = a[i] + b[i];
    return s;
  }

  static float[] scale(float[] a, float g) {
    float[] s = new float[a.length];
    for (int i = 0; i < a.length; i++) s[i] = a[i] * g;
    return s;
  }

  /** 10 log10(|s|^2 / |s - estimate|^2), in dB. */
  static double sdr(float[] source, float[] estimate) {
    double signal = 0;
    double error = 0;
    for (int i = 0; i < source.length; i++) {
      signal += (double) source[i] * source[i];
      double d = source[i] - estimate[i];
      error += d * d;
    }
    return 10 * Math.log10(signal / error);
  }
}
