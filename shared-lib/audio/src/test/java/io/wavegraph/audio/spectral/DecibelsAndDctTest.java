package io.wavegraph.audio.spectral;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class DecibelsAndDctTest {

  @Test
  void powerToDbLikeLibrosa() {
    FloatMatrix p = new FloatMatrix(1, 5, new float[] {1f, 100f, 1e-3f, 0f, 1e-12f});
    // 10 log10(max(1e-10, S)), then floored at max - 80 = -60
    assertThat(Decibels.powerToDb(p).data()).containsExactly(new float[] {0f, 20f, -30f, -60f, -60f}, within(1e-5f));
    assertThat(Decibels.powerToDb(p, 100, 1e-10, Double.POSITIVE_INFINITY).data())
        .containsExactly(new float[] {-20f, 0f, -50f, -120f, -120f}, within(1e-4f));
  }

  @Test
  void orthonormalDctIIPreservesEnergyAndMatchesTheFormula() {
    int n = 128;
    Dct dct = new Dct(n, n);
    Random rnd = new Random(1);
    double[] x = new double[n];
    for (int i = 0; i < n; i++) x[i] = rnd.nextGaussian();
    double[] y = new double[n];
    dct.apply(x, y);
    double ex = 0;
    double ey = 0;
    for (int i = 0; i < n; i++) {
      ex += x[i] * x[i];
      ey += y[i] * y[i];
    }
    assertThat(ey).isCloseTo(ex, within(1e-9 * ex));
    // scipy.fftpack.dct(x, type=2, norm='ortho'): y[k] = s_k sum x[n] cos(pi k (2n+1) / 2N)
    double y3 = 0;
    for (int i = 0; i < n; i++) y3 += x[i] * Math.cos(Math.PI * 3 * (2 * i + 1) / (2.0 * n));
    assertThat(y[3]).isCloseTo(Math.sqrt(2.0 / n) * y3, within(1e-12));
    // A constant goes to the first coefficient only: c sqrt(N).
    double[] c = new double[n];
    java.util.Arrays.fill(c, 2.0);
    dct.apply(c, y);
    assertThat(y[0]).isCloseTo(2 * Math.sqrt(n), within(1e-12));
    for (int k = 1; k < n; k++) assertThat(y[k]).isCloseTo(0, within(1e-12));
  }

  @Test
  void truncatedDctKeepsTheFirstCoefficients() {
    FloatMatrix m = new FloatMatrix(4, 2, new float[] {1, 5, 2, 6, 3, 7, 4, 8});
    FloatMatrix full = new Dct(4, 4).applyToColumns(m);
    FloatMatrix first = new Dct(4, 2).applyToColumns(m);
    assertThat(first.rows()).isEqualTo(2);
    for (int k = 0; k < 2; k++) for (int c = 0; c < 2; c++) assertThat(first.get(k, c)).isEqualTo(full.get(k, c));
    assertThat((double) full.get(0, 0)).isCloseTo(10 / 2.0, within(1e-6)); // (1+2+3+4) / sqrt(4)
  }
}
