package io.wavegraph.audio.spectral;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StftTest {

  static float[] noise(int n, long seed) {
    Random rnd = new Random(seed);
    float[] x = new float[n];
    for (int i = 0; i < n; i++) x[i] = (float) rnd.nextGaussian() * 0.3f;
    return x;
  }

  @ParameterizedTest(name = "{0} samples, hop {1}, {2}")
  @CsvSource({
    "0,512,CONSTANT", "1,512,CONSTANT", "511,512,CONSTANT", "512,512,REFLECT", "22050,512,CONSTANT",
    "22050,512,REFLECT", "22051,441,REFLECT", "700,128,REFLECT", "3,4,REFLECT"
  })
  void centredFramesAreOnePlusLengthOverHop(int len, int hop, PadMode pad) {
    FloatMatrix s = Spectrograms.stft(noise(len, len), new StftParams(2048, hop, true, pad), 2);
    assertThat(s.cols()).isEqualTo(1 + len / hop);
    assertThat(s.rows()).isEqualTo(1025);
  }

  @ParameterizedTest(name = "{0} samples")
  @CsvSource({"100,0", "2048,1", "2559,1", "2560,2", "10000,16"})
  void uncentredFrames(int len, int frames) {
    assertThat(Spectrograms.stft(noise(len, 1), new StftParams(2048, 512, false, PadMode.CONSTANT), 2).cols()).isEqualTo(frames);
  }

  @Test
  void sineAtBinCentrePeaksInItsBinWithHannGain() {
    int n = 2048;
    int bin = 100; // 100 * 22050 / 2048 Hz
    float[] x = new float[22050];
    double a = 0.5;
    for (int i = 0; i < x.length; i++) x[i] = (float) (a * Math.cos(2 * Math.PI * bin * i / n));
    FloatMatrix mag = Spectrograms.stft(x, StftParams.DEFAULT, 1);
    int t = 20; // a frame well inside the signal
    int peak = 0;
    for (int k = 0; k < mag.rows(); k++) if (mag.get(k, t) > mag.get(peak, t)) peak = k;
    assertThat(peak).isEqualTo(bin);
    // |X[k0]| = A N / 2 times the Hann coherent gain 1/2; the neighbours get exactly half of that.
    assertThat((double) mag.get(bin, t)).isCloseTo(a * n / 4, within(a * n / 4 * 1e-5));
    assertThat((double) mag.get(bin + 1, t)).isCloseTo(a * n / 8, within(a * n / 8 * 1e-4));
    assertThat((double) mag.get(bin + 2, t)).isLessThan(1e-3);
  }

  @Test
  void blockSizesDoNotChangeTheResult() {
    float[] x = noise(30000, 3);
    for (PadMode pad : PadMode.values()) {
      StftParams p = new StftParams(1024, 300, true, pad);
      FloatMatrix whole = Spectrograms.stft(x, p, 2);
      for (int block : new int[] {1, 7, 333, 4096, 20000}) {
        java.util.List<float[]> cols = new java.util.ArrayList<>();
        Stft stft = new Stft(p, (i, re, im) -> {
          float[] c = new float[re.length];
          for (int k = 0; k < c.length; k++) c[k] = (float) (re[k] * re[k] + im[k] * im[k]);
          cols.add(c);
        });
        float[] chunk = new float[block];
        for (int at = 0; at < x.length; at += block) {
          int n = Math.min(block, x.length - at);
          System.arraycopy(x, at, chunk, 0, n);
          stft.push(chunk, n);
        }
        assertThat(stft.finish()).isEqualTo(whole.cols());
        assertThat(java.util.Arrays.equals(FloatMatrix.fromColumns(p.bins(), cols).data(), whole.data())).as("block %d, %s", block, pad).isTrue();
      }
    }
  }

  @Test
  void padModesMatchNumpyPad() {
    // Frame 0 of a centred STFT is the window over np.pad(x, n/2, mode)[0:n].
    float[] x = noise(5000, 9);
    int n = 256;
    for (PadMode pad : PadMode.values()) {
      FloatMatrix s = Spectrograms.stft(x, new StftParams(n, 64, true, pad), 2);
      for (int t : new int[] {0, 1, s.cols() - 2, s.cols() - 1}) {
        double[] frame = new double[n];
        double[] w = Windows.hann(n);
        for (int i = 0; i < n; i++) {
          int j = t * 64 + i - n / 2;
          double v;
          if (j >= 0 && j < x.length) v = x[j];
          else if (pad == PadMode.CONSTANT) v = 0;
          else v = x[j < 0 ? -j : 2 * (x.length - 1) - j];
          frame[i] = v * w[i];
        }
        double[] re = new double[n / 2 + 1];
        double[] im = new double[n / 2 + 1];
        new RealFft(n).forward(frame, re, im);
        for (int k = 0; k <= n / 2; k++) {
          double p = re[k] * re[k] + im[k] * im[k];
          assertThat((double) s.get(k, t)).as("%s frame %d bin %d", pad, t, k).isCloseTo(p, within(1e-5 * Math.max(1, p)));
        }
      }
    }
  }

  @Test
  void reflectOfASignalShorterThanThePadRepeatsTheMirror() {
    // np.pad([1, 2, 3], 4, 'reflect') = [1, 2, 3, 2, | 1, 2, 3 | 2, 1, 2, 3]
    float[] x = {1, 2, 3};
    double[] padded = {1, 2, 3, 2, 1, 2, 3, 2, 1, 2, 3};
    StftParams p = new StftParams(8, 4, true, PadMode.REFLECT);
    FloatMatrix s = Spectrograms.stft(x, p, 2);
    assertThat(s.cols()).isEqualTo(1);
    double[] frame = new double[8];
    double[] w = Windows.hann(8);
    for (int i = 0; i < 8; i++) frame[i] = padded[i] * w[i];
    double[] re = new double[5];
    double[] im = new double[5];
    new RealFft(8).forward(frame, re, im);
    for (int k = 0; k < 5; k++) assertThat((double) s.get(k, 0)).isCloseTo(re[k] * re[k] + im[k] * im[k], within(1e-5));
  }
}
