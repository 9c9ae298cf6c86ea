package io.wavegraph.audio.separation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/** The kernels written the obvious way, in double precision, to check the fast ones against. */
final class ReferenceKernels {
  private ReferenceKernels() {}

  /** Direct DFT of each centred, Hann-windowed frame: {re, im}. */
  static double[][] stft(float[] x, int samples, int fft, int hop) {
    int frames = 1 + samples / hop;
    int bins = fft / 2 + 1;
    double[] re = new double[frames * bins];
    double[] im = new double[frames * bins];
    for (int t = 0; t < frames; t++) {
      for (int k = 0; k < bins; k++) {
        double sr = 0;
        double si = 0;
        for (int n = 0; n < fft; n++) {
          int at = t * hop - fft / 2 + n;
          if (at < 0 || at >= samples) continue;
          double v = x[at] * (0.5 - 0.5 * Math.cos(2 * Math.PI * n / fft));
          sr += v * Math.cos(2 * Math.PI * k * n / fft);
          si -= v * Math.sin(2 * Math.PI * k * n / fft);
        }
        re[t * bins + k] = sr;
        im[t * bins + k] = si;
      }
    }
    return new double[][] {re, im};
  }

  /** Sorts each mirrored window. */
  static float[] medianAlongTime(float[] in, int frames, int bins, int kernel) {
    float[] out = new float[frames * bins];
    float[] w = new float[kernel];
    for (int t = 0; t < frames; t++) {
      for (int b = 0; b < bins; b++) {
        for (int i = 0; i < kernel; i++) w[i] = in[mirror(t + i - kernel / 2, frames) * bins + b];
        Arrays.sort(w);
        out[t * bins + b] = w[kernel / 2];
      }
    }
    return out;
  }

  static float[] medianAlongFrequency(float[] in, int frames, int bins, int kernel) {
    float[] out = new float[frames * bins];
    float[] w = new float[kernel];
    for (int t = 0; t < frames; t++) {
      for (int b = 0; b < bins; b++) {
        for (int i = 0; i < kernel; i++) w[i] = in[t * bins + mirror(b + i - kernel / 2, bins)];
        Arrays.sort(w);
        out[t * bins + b] = w[kernel / 2];
      }
    }
    return out;
  }

  /** Mirror at the ends, by walking: d c b a | a b c d | d c b a. */
  static int mirror(int i, int n) {
    while (i < 0 || i >= n) i = i < 0 ? -i - 1 : 2 * n - 1 - i;
    return i;
  }

  static double cosine(float[] mag, int bins, int a, int b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int k = 0; k < bins; k++) {
      dot += (double) mag[a * bins + k] * mag[b * bins + k];
      na += (double) mag[a * bins + k] * mag[a * bins + k];
      nb += (double) mag[b * bins + k] * mag[b * bins + k];
    }
    return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
  }

  /** The repeating frames of row {@code r} of a full similarity matrix, by the definition. */
  static List<Integer> repeatingFrames(float[] sim, int frames, int r, int maxRepeats, int minDistance, float minSimilarity) {
    List<Integer> candidates = new ArrayList<>();
    for (int j = 0; j < frames; j++) {
      float v = sim[r * frames + j];
      boolean peak = (j == 0 || sim[r * frames + j - 1] <= v) && (j == frames - 1 || sim[r * frames + j + 1] <= v);
      if (j != r && peak && v > 0 && v >= minSimilarity) candidates.add(j);
    }
    candidates.sort(Comparator.<Integer>comparingDouble(j -> -sim[r * frames + j]).thenComparing(j -> j));
    List<Integer> taken = new ArrayList<>(List.of(r));
    for (int j : candidates) {
      if (taken.size() == maxRepeats) break;
      if (taken.stream().allMatch(i -> Math.abs(i - j) >= minDistance)) taken.add(j);
    }
    return taken;
  }

  static double median(float[] values) {
    float[] s = values.clone();
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2.0;
  }
}
