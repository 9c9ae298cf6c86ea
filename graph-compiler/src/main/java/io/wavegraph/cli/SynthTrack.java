package io.wavegraph.cli;

import io.wavegraph.audio.WavWriter;
import java.io.IOException;
import java.util.SplittableRandom;

/**
 * A deterministic music-like track per index: a chord progression with a few harmonics, a kick
 * and a noise snare at a tempo that depends on the index. Distinct content per index, so every
 * item of a benchmark does real work.
 */
final class SynthTrack {
  private SynthTrack() {}

  static void write(WavWriter w, int rate, double seconds, int index) throws IOException {
    long frames = Math.round(rate * seconds);
    double bpm = 90 + (index * 7) % 80;
    double beat = 60.0 / bpm;
    int[][] chords = {{0, 4, 7}, {7, 11, 14}, {9, 12, 16}, {5, 9, 12}};
    int root = 45 + index % 12;
    SplittableRandom noise = new SplittableRandom(index);
    float[] buf = new float[2 * 4096];
    for (long start = 0; start < frames; start += 4096) {
      int n = (int) Math.min(4096, frames - start);
      for (int i = 0; i < n; i++) {
        double t = (double) (start + i) / rate;
        int bar = (int) (t / (4 * beat)) % chords.length;
        double tb = t % beat;
        double l = 0;
        double r = 0;
        for (int k = 0; k < 3; k++) {
          double f = 440 * Math.pow(2, (root + chords[bar][k] - 69) / 12.0);
          double v = Math.sin(2 * Math.PI * f * t) + 0.4 * Math.sin(4 * Math.PI * f * t) + 0.2 * Math.sin(6 * Math.PI * f * t);
          l += v * (1 - k / 3.0);
          r += v * (k + 1) / 3.0;
        }
        int beatNo = (int) (t / beat);
        double drum = beatNo % 2 == 0
            ? 0.8 * Math.exp(-tb * 18) * Math.sin(2 * Math.PI * (50 + 90 * Math.exp(-tb * 30)) * tb)
            : 0.35 * Math.exp(-tb * 30) * (noise.nextDouble() * 2 - 1);
        buf[2 * i] = (float) (0.08 * l + drum);
        buf[2 * i + 1] = (float) (0.08 * r + drum);
      }
      w.write(buf, n);
    }
  }
}
