package io.wavegraph.audio.spectral;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class RealFftTest {

  @ParameterizedTest(name = "N = {0}")
  @ValueSource(ints = {2, 4, 8, 16, 64, 512, 2048})
  void matchesNaiveDft(int n) {
    Random rnd = new Random(n);
    double[] x = new double[n];
    for (int i = 0; i < n; i++) x[i] = rnd.nextGaussian();
    double[] re = new double[n / 2 + 1];
    double[] im = new double[n / 2 + 1];
    new RealFft(n).forward(x, re, im);
    double worst = 0;
    double scale = 0;
    for (int k = 0; k <= n / 2; k++) {
      double sr = 0;
      double si = 0;
      for (int t = 0; t < n; t++) {
        double a = -2 * Math.PI * (long) k * t / n;
        sr += x[t] * Math.cos(a);
        si += x[t] * Math.sin(a);
      }
      worst = Math.max(worst, Math.hypot(re[k] - sr, im[k] - si));
      scale = Math.max(scale, Math.hypot(sr, si));
    }
    assertThat(worst / scale).isLessThan(1e-12);
  }

  @Test
  void impulseAndConstant() {
    RealFft fft = new RealFft(8);
    double[] re = new double[5];
    double[] im = new double[5];
    fft.forward(new double[] {1, 0, 0, 0, 0, 0, 0, 0}, re, im);
    assertThat(re).containsOnly(1.0);
    assertThat(im).containsOnly(0.0);
    fft.forward(new double[] {1, 1, 1, 1, 1, 1, 1, 1}, re, im);
    assertThat(re).containsExactly(8.0, 0.0, 0.0, 0.0, 0.0);
  }

  @Test
  void rejectsSizesThatAreNotPowersOfTwo() {
    assertThatThrownBy(() -> new RealFft(1000)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1000");
    assertThatThrownBy(() -> new RealFft(1)).isInstanceOf(IllegalArgumentException.class);
  }
}
