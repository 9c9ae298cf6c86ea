package io.wavegraph.audio.spectral;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MelFilterbankTest {

  static final MelFilterbank SLANEY = MelFilterbank.create(22050, 2048, 128, 0, 11025, MelScale.SLANEY, true);

  /** Every weight equals the fixture (listed non-zero weights; all others zero). */
  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "mel-slaney-22050-2048-128.csv,22050,2048,128,0,11025,SLANEY,true",
    "mel-htk-22050-2048-128.csv,22050,2048,128,0,11025,HTK,true",
    "mel-htk-16000-512-40-20-7600-nonorm.csv,16000,512,40,20,7600,HTK,false"
  })
  void equalsLibrosaFormulas(String fixture, int sr, int nFft, int nMels, double fmin, double fmax, MelScale scale, boolean norm)
      throws Exception {
    MelFilterbank bank = MelFilterbank.create(sr, nFft, nMels, fmin, fmax, scale, norm);
    double[][] expected = new double[nMels][nFft / 2 + 1];
    List<double[]> rows = Fixtures.csv(fixture);
    for (double[] r : rows) expected[(int) r[0]][(int) r[1]] = r[2];
    double worst = 0;
    int nonZero = 0;
    for (int m = 0; m < nMels; m++) {
      for (int k = 0; k <= nFft / 2; k++) {
        double w = bank.weight(m, k);
        worst = Math.max(worst, Math.abs(w - expected[m][k]) / Math.max(1e-3, expected[m][k]));
        if (w > 1e-12) nonZero++;
      }
    }
    assertThat(worst).as("largest relative difference").isLessThan(1e-9);
    // numpy leaves round-off of about 1e-17 at fmax (mel_to_hz(hz_to_mel(fmax)) != fmax) where this gives 0.
    assertThat(nonZero).isEqualTo((int) rows.stream().filter(r -> r[2] > 1e-12).count());
  }

  @Test
  void aFewExactEntries() {
    // librosa.filters.mel(sr=22050, n_fft=2048)[m, k], in float64
    assertThat(SLANEY.weight(0, 1)).isCloseTo(0.016182853208219935, within(1e-15));
    assertThat(SLANEY.weight(0, 2)).isCloseTo(0.03236570641643987, within(1e-15));
    assertThat(SLANEY.weight(1, 3)).isCloseTo(0.009779235793639922, within(1e-15));
    assertThat(SLANEY.weight(127, 1000)).isCloseTo(0.0031262471210668293, within(1e-15));
    assertThat(SLANEY.weight(0, 0)).isEqualTo(0.0);
    assertThat(SLANEY.weight(127, 1024)).isEqualTo(0.0); // the filter reaches zero at fmax
  }

  @Test
  void slaneyFiltersHaveUnitAreaInHz() {
    double df = 22050.0 / 2048;
    for (int m = 64; m < 128; m++) { // wide enough (over 5 bins) to integrate with the bins
      double s = 0;
      for (int k = 0; k < SLANEY.bins(); k++) s += SLANEY.weight(m, k);
      assertThat(s * df).as("band %d", m).isCloseTo(1.0, within(0.02));
    }
  }

  @Test
  void unnormalisedFiltersPeakNearOneAtTheirCentre() {
    MelFilterbank bank = MelFilterbank.create(22050, 2048, 64, 0, 11025, MelScale.HTK, false);
    double[] edges = bank.edges();
    for (int m = 10; m < 64; m++) {
      int centre = (int) Math.round(edges[m + 1] * 2048 / 22050);
      double peak = 0;
      for (int k = 0; k < bank.bins(); k++) {
        assertThat(bank.weight(m, k)).isBetween(0.0, 1.0);
        peak = Math.max(peak, bank.weight(m, k));
      }
      assertThat(peak).isGreaterThan(0.5);
      assertThat(bank.weight(m, centre)).isEqualTo(peak);
    }
  }

  @Test
  void applyIsTheMatrixProduct() {
    double[] spectrum = new double[SLANEY.bins()];
    for (int k = 0; k < spectrum.length; k++) spectrum[k] = 1 + Math.sin(k);
    float[] out = new float[128];
    SLANEY.apply(spectrum, out, 0);
    for (int m = 0; m < 128; m++) {
      double s = 0;
      for (int k = 0; k < spectrum.length; k++) s += SLANEY.weight(m, k) * spectrum[k];
      assertThat((double) out[m]).isCloseTo(s, within(1e-6 * Math.abs(s) + 1e-12));
    }
  }

  @Test
  void rejectsBandsOutsideNyquist() {
    assertThatThrownBy(() -> MelFilterbank.create(16000, 512, 40, 0, 9000, MelScale.SLANEY, true))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fmax 9000");
    assertThatThrownBy(() -> MelFilterbank.create(16000, 512, 40, 5000, 4000, MelScale.SLANEY, true))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
