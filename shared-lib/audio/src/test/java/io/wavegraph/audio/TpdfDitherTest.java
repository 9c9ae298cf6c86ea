package io.wavegraph.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class TpdfDitherTest {
  @Test
  void addsTriangularNoiseOfOneLsbPeakAndTwoThirdsLsbSquaredVariance() {
    int n = 200_000;
    float[] x = new float[n];
    new TpdfDither(16, 1).apply(x, n);
    double lsb = 1.0 / 32768;
    double sum = 0;
    double sq = 0;
    double max = 0;
    for (float v : x) {
      sum += v;
      sq += v * (double) v;
      max = Math.max(max, Math.abs(v));
    }
    assertThat(sum / n / lsb).isCloseTo(0, within(0.01));
    // The variance of the difference of two U(0,1) scaled by an LSB is LSB^2 / 6.
    assertThat(sq / n / (lsb * lsb)).isCloseTo(1.0 / 6, within(0.01));
    assertThat(max).isLessThanOrEqualTo(lsb);
  }

  @Test
  void removesTheDistortionOfALowLevelToneAfterQuantisation() {
    // A -90 dBFS sine quantised to 16 bits without dither is a square-ish wave rich in harmonics;
    // with dither its third harmonic drops into the noise.
    int rate = 48000;
    int n = rate;
    double amp = Math.pow(10, -90 / 20.0);
    double[] plain = new double[n];
    double[] dithered = new double[n];
    float[] buf = new float[n];
    for (int i = 0; i < n; i++) buf[i] = (float) (amp * Math.sin(2 * Math.PI * 1000 * i / rate));
    float[] copy = buf.clone();
    new TpdfDither(16, 7).apply(copy, n);
    for (int i = 0; i < n; i++) {
      plain[i] = Math.round(buf[i] * 32767.0) / 32767.0;
      dithered[i] = Math.round(copy[i] * 32767.0) / 32767.0;
    }
    double h3Plain = goertzel(plain, 3000, rate);
    double h3Dithered = goertzel(dithered, 3000, rate);
    assertThat(h3Dithered).isLessThan(h3Plain / 10);
  }

  private static double goertzel(double[] x, double hz, int rate) {
    double re = 0;
    double im = 0;
    for (int i = 0; i < x.length; i++) {
      re += x[i] * Math.cos(2 * Math.PI * hz * i / rate);
      im -= x[i] * Math.sin(2 * Math.PI * hz * i / rate);
    }
    return Math.hypot(re, im) / x.length;
  }
}
