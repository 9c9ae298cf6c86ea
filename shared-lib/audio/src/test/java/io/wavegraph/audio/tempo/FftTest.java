package io.wavegraph.audio.tempo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class FftTest {
  @Test
  void realPowerMatchesTheDefinition() {
    int m = 64;
    double[] x = new Random(5).doubles(m, -1, 1).toArray();
    Fft fft = new Fft(m / 2);
    double[] power = new double[m / 2 + 1];
    fft.realPower(x, new double[m / 2], new double[m / 2], power);
    for (int k = 0; k <= m / 2; k++) {
      double re = 0;
      double im = 0;
      for (int t = 0; t < m; t++) {
        re += x[t] * Math.cos(2 * Math.PI * k * t / m);
        im -= x[t] * Math.sin(2 * Math.PI * k * t / m);
      }
      assertThat(power[k]).as("bin %d", k).isCloseTo(re * re + im * im, within(1e-9));
    }
  }

  @Test
  void sizeMustBeAPowerOfTwo() {
    assertThatIllegalArgumentException().isThrownBy(() -> new Fft(48));
  }
}
