package io.wavegraph.audio.spectral;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Mel spectrogram and MFCCs of a known signal against librosa's formulas (make_fixtures.py). */
class SpectralFixturesTest {
  static final MelFilterbank BANK = MelFilterbank.create(22050, 2048, 128, 0, 11025, MelScale.SLANEY, true);

  @Test
  void melSpectrogramInDb() throws Exception {
    FloatMatrix db = Decibels.powerToDb(Spectrograms.mel(Fixtures.signal(), StftParams.DEFAULT, BANK));
    assertThat(maxDifference(db, Fixtures.csv("signal-mel-db.csv"))).isLessThan(1e-3);
  }

  @Test
  void mfcc() throws Exception {
    FloatMatrix mfcc = Spectrograms.mfcc(Spectrograms.mel(Fixtures.signal(), StftParams.DEFAULT, BANK), 20, 80);
    assertThat(maxDifference(mfcc, Fixtures.csv("signal-mfcc.csv"))).isLessThan(1e-3);
  }

  static double maxDifference(FloatMatrix actual, List<double[]> expected) {
    assertThat(actual.rows()).isEqualTo(expected.size());
    assertThat(actual.cols()).isEqualTo(expected.get(0).length).isEqualTo(1 + 11025 / 512);
    double worst = 0;
    for (int r = 0; r < actual.rows(); r++) {
      for (int c = 0; c < actual.cols(); c++) worst = Math.max(worst, Math.abs(actual.get(r, c) - expected.get(r)[c]));
    }
    System.out.printf("largest difference from the numpy reference: %.2e%n", worst);
    return worst;
  }
}
