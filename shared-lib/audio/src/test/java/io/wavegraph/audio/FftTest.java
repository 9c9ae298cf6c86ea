package io.wavegraph.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.wavegraph.audio.internal.Fft;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FftTest {
  @ParameterizedTest
  @ValueSource(ints = {1, 2, 4, 8, 16, 64, 1024})
  void matchesTheDefinitionAndInvertsExactly(int n) {
    Random rnd = new Random(n);
    double[] re = new double[n];
    double[] im = new double[n];
    for (int i = 0; i < n; i++) {
      re[i] = rnd.nextGaussian();
      im[i] = rnd.nextGaussian();
    }
    double[] r = re.clone();
    double[] q = im.clone();
    Fft fft = new Fft(n);
    fft.transform(r, q, false);
    for (int k = 0; k < n; k++) {
      double sr = 0;
      double si = 0;
      for (int t = 0; t < n; t++) {
        double a = -2 * Math.PI * k * t / n;
        sr += re[t] * Math.cos(a) - im[t] * Math.sin(a);
        si += re[t] * Math.sin(a) + im[t] * Math.cos(a);
      }
      assertThat(r[k]).isCloseTo(sr, within(1e-9 * n));
      assertThat(q[k]).isCloseTo(si, within(1e-9 * n));
    }
    fft.transform(r, q, true);
    for (int i = 0; i < n; i++) {
      assertThat(r[i] / n).isCloseTo(re[i], within(1e-12));
      assertThat(q[i] / n).isCloseTo(im[i], within(1e-12));
    }
  }

  @org.junit.jupiter.api.Test
  void tablesAreMadeOncePerSizeAndShared() {
    assertThat(Fft.of(2048)).isSameAs(Fft.of(2048));
    assertThat(Fft.of(1024).size()).isEqualTo(1024);
  }
}
