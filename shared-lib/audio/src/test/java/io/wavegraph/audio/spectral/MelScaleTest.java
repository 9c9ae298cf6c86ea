package io.wavegraph.audio.spectral;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class MelScaleTest {

  @Test
  void slaneyIsLinearBelow1kHzAndLogAbove() {
    // Values of librosa.hz_to_mel(f) (Slaney, the default).
    assertThat(MelScale.SLANEY.toMel(0)).isEqualTo(0.0);
    assertThat(MelScale.SLANEY.toMel(500)).isCloseTo(7.5, within(1e-12));
    assertThat(MelScale.SLANEY.toMel(1000)).isCloseTo(15.0, within(1e-12));
    assertThat(MelScale.SLANEY.toMel(4000)).isCloseTo(35.163760314616646, within(1e-12));
    assertThat(MelScale.SLANEY.toMel(11025)).isCloseTo(49.910594480159055, within(1e-12));
    // 27 mels per factor 6.4 above 1 kHz
    assertThat(MelScale.SLANEY.toMel(6400) - MelScale.SLANEY.toMel(1000)).isCloseTo(27, within(1e-12));
  }

  @Test
  void htkIs2595Log10OnePlusFOver700() {
    // librosa.hz_to_mel(f, htk=True)
    assertThat(MelScale.HTK.toMel(500)).isCloseTo(607.44591965659, within(1e-9));
    assertThat(MelScale.HTK.toMel(1000)).isCloseTo(999.9855371396246, within(1e-9));
    assertThat(MelScale.HTK.toMel(4000)).isCloseTo(2146.06452750619, within(1e-9));
    assertThat(MelScale.HTK.toMel(11025)).isCloseTo(3176.3184355125827, within(1e-9));
  }

  @Test
  void roundTrips() {
    for (MelScale s : MelScale.values()) {
      for (double f : new double[] {0, 20, 440, 999.999, 1000, 1000.001, 8000, 22050, 96000}) {
        assertThat(s.toHz(s.toMel(f))).as("%s %s Hz", s, f).isCloseTo(f, within(1e-9 * Math.max(1, f)));
      }
    }
  }

  @Test
  void frequenciesAreEvenlySpacedInMelsWithExactEnds() {
    double[] f = MelScale.SLANEY.frequencies(130, 0, 11025);
    assertThat(f[0]).isEqualTo(0.0);
    assertThat(f[129]).isCloseTo(11025, within(1e-9));
    double step = MelScale.SLANEY.toMel(f[1]) - MelScale.SLANEY.toMel(f[0]);
    for (int i = 1; i < f.length; i++) {
      assertThat(MelScale.SLANEY.toMel(f[i]) - MelScale.SLANEY.toMel(f[i - 1])).isCloseTo(step, within(1e-9));
    }
  }
}
