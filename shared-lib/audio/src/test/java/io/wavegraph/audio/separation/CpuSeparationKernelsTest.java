package io.wavegraph.audio.separation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Each CPU kernel against {@link ReferenceKernels} on random data, run on a pool of 3 threads. */
class CpuSeparationKernelsTest {
  static final ForkJoinPool POOL = new ForkJoinPool(3);
  static final SeparationKernels K = new CpuSeparationKernels(POOL);
  final SplittableRandom rnd = new SplittableRandom(7);

  @AfterAll
  static void shutDown() {
    POOL.shutdown();
  }

  float[] random(int n) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) x[i] = (float) rnd.nextDouble();
    return x;
  }

  float[] noise(int n) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) x[i] = (float) (2 * rnd.nextDouble() - 1);
    return x;
  }

  @Test
  void stftMatchesTheDirectTransform() {
    int samples = 700;
    int fft = 64;
    int hop = 16;
    float[] x = noise(samples);
    int frames = SeparationKernels.frames(samples, hop);
    int n = frames * (fft / 2 + 1);
    float[] re = new float[n];
    float[] im = new float[n];
    K.stft(x, samples, fft, hop, re, im);
    double[][] ref = ReferenceKernels.stft(x, samples, fft, hop);
    for (int i = 0; i < n; i++) {
      assertThat((double) re[i]).isCloseTo(ref[0][i], within(1e-4));
      assertThat((double) im[i]).isCloseTo(ref[1][i], within(1e-4));
    }
  }

  @ParameterizedTest
  @CsvSource({"256, 64, 5000", "256, 128, 5000", "2048, 512, 44100", "64, 16, 7", "64, 32, 1"})
  void istftInvertsStft(int fft, int hop, int samples) {
    float[] x = noise(samples);
    int n = SeparationKernels.frames(samples, hop) * (fft / 2 + 1);
    float[] re = new float[n];
    float[] im = new float[n];
    K.stft(x, samples, fft, hop, re, im);
    float[] y = new float[samples + 3];
    y[samples] = 42; // beyond samples: untouched
    K.istft(re, im, SeparationKernels.frames(samples, hop), fft, hop, y, samples);
    for (int i = 0; i < samples; i++) assertThat(y[i]).as("sample %d", i).isCloseTo(x[i], within(2e-5f));
    assertThat(y[samples]).isEqualTo(42);
  }

  @Test
  void magnitudeIsTheModulus() {
    float[] re = noise(1000);
    float[] im = noise(1000);
    float[] mag = new float[1000];
    K.magnitude(re, im, 1000, mag);
    for (int i = 0; i < 1000; i++) assertThat(mag[i]).isCloseTo((float) Math.hypot(re[i], im[i]), within(1e-6f));
  }

  @ParameterizedTest
  @CsvSource({"40, 37, 17", "200, 129, 17", "5, 3, 17", "1, 4, 3", "33, 20, 1", "64, 50, 31"})
  void mediansMatchSortingEachMirroredWindow(int frames, int bins, int kernel) {
    float[] in = random(frames * bins);
    // Ties are common in spectrograms (silence): make some.
    for (int i = 0; i < in.length; i += 3) in[i] = 0.5f;
    float[] out = new float[frames * bins];
    K.medianAlongTime(in, frames, bins, kernel, out);
    assertThat(out).containsExactly(ReferenceKernels.medianAlongTime(in, frames, bins, kernel));
    K.medianAlongFrequency(in, frames, bins, kernel, out);
    assertThat(out).containsExactly(ReferenceKernels.medianAlongFrequency(in, frames, bins, kernel));
  }

  @Test
  void evenMedianKernelsAreRefused() {
    assertThatThrownBy(() -> K.medianAlongTime(new float[4], 2, 2, 4, new float[4])).hasMessageContaining("odd");
  }

  @Test
  void similarityIsTheCosineOfFramesInRowBlocks() {
    int frames = 700; // more than one column tile
    int bins = 33;
    float[] mag = random(frames * bins);
    java.util.Arrays.fill(mag, 5 * bins, 6 * bins, 0f); // a silent frame
    float[] sim = new float[100 * frames];
    for (int[] block : new int[][] {{0, 100}, {100, 100}, {600, 100}, {0, frames}, {50, 650}}) {
      int row = block[0];
      sim = new float[block[1] * frames];
      K.similarity(mag, frames, bins, row, block[1], sim);
      for (int r = 0; r < block[1]; r++) {
        for (int j = 0; j < frames; j++) {
          assertThat((double) sim[r * frames + j]).isCloseTo(ReferenceKernels.cosine(mag, bins, row + r, j), within(1e-5));
        }
      }
    }
  }

  @ParameterizedTest
  @CsvSource({"10, 5, 0", "100, 1, 0", "3, 20, 0.5", "30, 0, 0"})
  void repeatingFramesFollowTheDefinition(int maxRepeats, int minDistance, float minSimilarity) {
    int frames = 300;
    int bins = 8;
    float[] mag = random(frames * bins);
    float[] sim = new float[frames * frames];
    K.similarity(mag, frames, bins, 0, frames, sim);
    // Sharpen the contrast so that the threshold matters.
    for (int i = 0; i < sim.length; i++) sim[i] = (sim[i] - 0.7f) / 0.3f;
    int rows = 50;
    int[] repeats = new int[rows * maxRepeats];
    int[] counts = new int[rows];
    for (int row : new int[] {0, 250}) {
      float[] block = java.util.Arrays.copyOfRange(sim, row * frames, (row + rows) * frames);
      K.repeatingFrames(block, frames, row, rows, maxRepeats, minDistance, minSimilarity, repeats, counts);
      for (int r = 0; r < rows; r++) {
        List<Integer> got = new ArrayList<>();
        for (int l = 0; l < counts[r]; l++) got.add(repeats[r * maxRepeats + l]);
        assertThat(got).as("row %d", row + r).isEqualTo(ReferenceKernels.repeatingFrames(sim, frames, row + r, maxRepeats, minDistance, minSimilarity));
      }
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 7, 24, 25, 30, 99})
  void repeatingModelIsTheMedianCappedAtTheMixture(int repeatsPerFrame) {
    int frames = 120;
    int bins = 150; // more than two chunks of the network's 64 bins
    float[] mag = random(frames * bins);
    int rows = 10;
    int row = 100;
    int[] repeats = new int[rows * repeatsPerFrame];
    int[] counts = new int[rows];
    for (int r = 0; r < rows; r++) {
      counts[r] = r == 3 ? 1 : repeatsPerFrame;
      for (int l = 0; l < counts[r]; l++) repeats[r * repeatsPerFrame + l] = rnd.nextInt(frames);
    }
    float[] model = new float[frames * bins];
    K.repeatingModel(mag, frames, bins, row, rows, repeatsPerFrame, repeats, counts, model);
    for (int r = 0; r < rows; r++) {
      for (int k = 0; k < bins; k++) {
        float[] values = new float[counts[r]];
        for (int l = 0; l < counts[r]; l++) values[l] = mag[repeats[r * repeatsPerFrame + l] * bins + k];
        double expected = Math.min(mag[(row + r) * bins + k], ReferenceKernels.median(values));
        assertThat((double) model[(row + r) * bins + k]).isCloseTo(expected, within(1e-6));
      }
    }
    assertThat(model[0]).as("rows outside the block are not written").isZero();
  }

  @Test
  void sortingNetworksSortEveryLength() {
    for (int n = 1; n <= 130; n++) {
      int[] pairs = SortingNetwork.of(n);
      for (int trial = 0; trial < 20; trial++) {
        float[] a = random(n);
        for (int c = 0; c < pairs.length; c += 2) {
          float u = a[pairs[c]];
          float v = a[pairs[c + 1]];
          a[pairs[c]] = Math.min(u, v);
          a[pairs[c + 1]] = Math.max(u, v);
        }
        for (int i = 1; i < n; i++) assertThat(a[i - 1]).as("n = %d", n).isLessThanOrEqualTo(a[i]);
      }
    }
  }

  @Test
  void softMasksOfTwoPartsSumToOne() {
    float[] t = {0, 1, 3, 0, 1e30f, 2};
    float[] o = {0, 0, 4, 5, 1e30f, 1e-30f};
    float[] m = new float[6];
    float[] rest = new float[6];
    K.softMask(t, o, 6, 2, m);
    K.softMask(o, t, 6, 2, rest);
    assertThat(m).containsExactly(new float[] {0.5f, 1, 9f / 25, 0, 0.5f, 1}, within(1e-6f));
    for (int i = 0; i < 6; i++) assertThat(m[i] + rest[i]).isCloseTo(1f, within(1e-6f));
    K.softMask(t, o, 6, 1, m);
    assertThat(m[2]).isCloseTo(3f / 7, within(1e-6f));
    K.softMask(t, o, 6, 7.5f, m);
    assertThat(m).doesNotContain(Float.NaN);
  }

  @Test
  void applyMaskScalesBothParts() {
    float[] re = {1, 2};
    float[] im = {3, -4};
    float[] outRe = new float[2];
    float[] outIm = new float[2];
    K.applyMask(re, im, new float[] {0.5f, 0}, 2, outRe, outIm);
    assertThat(outRe).containsExactly(0.5f, 0);
    assertThat(outIm).containsExactly(1.5f, -0f);
  }

  @Test
  void kernelsAreChosenByName() {
    assertThat(SeparationKernels.named("cpu").name()).isEqualTo("cpu");
    assertThat(SeparationKernels.available()).startsWith("cpu");
    assertThatThrownBy(() -> SeparationKernels.named("gpu"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'gpu'")
        .hasMessageContaining("available: cpu");
  }
}
