package io.wavegraph.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.wavegraph.audio.internal.Biquad;
import org.junit.jupiter.api.Test;

/** Cases from EBU Tech 3341 (v4) and Tech 3342, generated here rather than shipped as files. */
class LoudnessMeterTest {

  /**
   * Feeds 1 kHz sine segments with continuous phase. {@code levels[i]} is the peak level in dBFS of
   * each channel (NaN for silence on that channel), held for {@code seconds[i]}.
   */
  static void feed(LoudnessMeter meter, int rate, double[][] levels, double[] seconds) {
    int channels = levels[0].length;
    int block = 4800;
    float[] buf = new float[block * channels];
    long n = 0;
    for (int seg = 0; seg < seconds.length; seg++) {
      long frames = Math.round(seconds[seg] * rate);
      double[] amp = new double[channels];
      for (int c = 0; c < channels; c++) {
        amp[c] = Double.isNaN(levels[seg][c]) ? 0 : Math.pow(10, levels[seg][c] / 20);
      }
      for (long done = 0; done < frames; ) {
        int k = (int) Math.min(block, frames - done);
        for (int i = 0; i < k; i++, n++) {
          double s = Math.sin(2 * Math.PI * 1000 * n / rate);
          for (int c = 0; c < channels; c++) {
            buf[i * channels + c] = (float) (amp[c] * s);
          }
        }
        meter.add(buf, k);
        done += k;
      }
    }
  }

  static LoudnessResult stereo(int rate, double[] levelsDb, double[] seconds) {
    LoudnessMeter m = new LoudnessMeter(rate, 2);
    double[][] levels = new double[levelsDb.length][];
    for (int i = 0; i < levelsDb.length; i++) {
      levels[i] = new double[] {levelsDb[i], levelsDb[i]};
    }
    feed(m, rate, levels, seconds);
    return m.result();
  }

  @Test
  void kWeightingMatchesThePublished48kHzCoefficients() {
    assertThat(Biquad.kWeightingShelf(48000).coefficients())
        .containsExactly(new double[] {1.53512485958697, -2.69169618940638, 1.19839281085285,
            -1.69065929318241, 0.73248077421585}, within(1e-8));
    assertThat(Biquad.kWeightingHighPass(48000).coefficients())
        .containsExactly(new double[] {1, -2, 1, -1.99004745483398, 0.99007225036621}, within(1e-8));
  }

  @Test
  void case1SineAtMinus23() {
    LoudnessResult r = stereo(48000, new double[] {-23}, new double[] {20});
    assertThat(r.integratedLufs()).isCloseTo(-23.0, within(0.1));
    assertThat(r.momentaryMaxLufs()).isCloseTo(-23.0, within(0.1));
    assertThat(r.shortTermMaxLufs()).isCloseTo(-23.0, within(0.1));
    assertThat(r.samplePeakDbfs()).isCloseTo(-23.0, within(0.01));
  }

  @Test
  void case2SineAtMinus33() {
    assertThat(stereo(48000, new double[] {-33}, new double[] {20}).integratedLufs()).isCloseTo(-33.0, within(0.1));
  }

  @Test
  void case3RelativeGateDropsQuietEnds() {
    LoudnessResult r = stereo(48000, new double[] {-36, -23, -36}, new double[] {10, 60, 10});
    assertThat(r.integratedLufs()).isCloseTo(-23.0, within(0.1));
  }

  @Test
  void case4AbsoluteAndRelativeGates() {
    LoudnessResult r = stereo(48000, new double[] {-72, -36, -23, -36, -72}, new double[] {10, 10, 60, 10, 10});
    assertThat(r.integratedLufs()).isCloseTo(-23.0, within(0.1));
  }

  @Test
  void case5GatedMeanOfTwoLevels() {
    LoudnessResult r = stereo(48000, new double[] {-26, -20, -26}, new double[] {20, 20.1, 20});
    assertThat(r.integratedLufs()).isCloseTo(-23.0, within(0.1));
  }

  @Test
  void case6FiveChannelWeighting() {
    LoudnessMeter m = new LoudnessMeter(48000, 5);
    feed(m, 48000, new double[][] {{-28, -28, -24, -30, -30}}, new double[] {20});
    assertThat(m.result().integratedLufs()).isCloseTo(-23.0, within(0.1));
  }

  @Test
  void fivePointOneExcludesLfe() {
    LoudnessMeter quiet = new LoudnessMeter(48000, 6);
    feed(quiet, 48000, new double[][] {{-28, -28, -24, Double.NaN, -30, -30}}, new double[] {20});
    LoudnessMeter loudLfe = new LoudnessMeter(48000, 6);
    feed(loudLfe, 48000, new double[][] {{-28, -28, -24, -6, -30, -30}}, new double[] {20});
    assertThat(quiet.result().integratedLufs()).isCloseTo(-23.0, within(0.1));
    assertThat(loudLfe.result().integratedLufs()).isCloseTo(quiet.result().integratedLufs(), within(1e-9));
  }

  @Test
  void sampleRateDoesNotChangeLoudness() {
    double at48 = stereo(48000, new double[] {-23}, new double[] {10}).integratedLufs();
    double at44 = stereo(44100, new double[] {-23}, new double[] {10}).integratedLufs();
    double at96 = stereo(96000, new double[] {-23}, new double[] {10}).integratedLufs();
    System.out.printf("-23 dBFS 1 kHz stereo: %.4f LUFS at 44.1k, %.4f at 48k, %.4f at 96k%n", at44, at48, at96);
    assertThat(at44).isCloseTo(at48, within(0.03));
    assertThat(at96).isCloseTo(at48, within(0.03));
  }

  @Test
  void loudnessRangeTech3342Cases() {
    double[][] levels = {{-20, -30}, {-20, -15}, {-40, -20}, {-50, -35, -20, -35, -50}};
    double[] expected = {10, 5, 20, 15};
    for (int i = 0; i < levels.length; i++) {
      double[] seconds = new double[levels[i].length];
      java.util.Arrays.fill(seconds, 20);
      double lra = stereo(48000, levels[i], seconds).loudnessRangeLu();
      System.out.printf("Tech 3342 case %d: LRA %.2f LU (expected %.0f)%n", i + 1, lra, expected[i]);
      assertThat(lra).as("case %d", i + 1).isCloseTo(expected[i], within(1.0));
    }
  }

  @Test
  void truePeakSeesInterSamplePeaks() {
    // A quarter-rate sine at 45 degrees: every sample sits at 0.707 of the real peak.
    int rate = 48000;
    float[] s = new float[rate * 2];
    for (int n = 0; n < rate; n++) {
      float v = (float) Math.sin(Math.PI * n / 2 + Math.PI / 4);
      s[2 * n] = v;
      s[2 * n + 1] = v;
    }
    LoudnessMeter m = new LoudnessMeter(rate, 2);
    m.add(s, rate);
    LoudnessResult r = m.result();
    System.out.printf("fs/4 sine: sample peak %.2f dBFS, true peak %.2f dBTP%n", r.samplePeakDbfs(), r.truePeakDbtp());
    assertThat(r.samplePeakDbfs()).isCloseTo(-3.01, within(0.01));
    assertThat(r.truePeakDbtp()).isCloseTo(0.0, within(0.2));
  }

  @Test
  void truePeakOfALowToneEqualsItsSamplePeak() {
    LoudnessResult r = stereo(48000, new double[] {-6}, new double[] {1});
    assertThat(r.truePeakDbtp()).isCloseTo(-6.0, within(0.05));
  }

  @Test
  void silenceAndShortInputHaveNoLoudness() {
    LoudnessMeter m = new LoudnessMeter(48000, 2);
    m.add(new float[48000 * 2 * 5], 48000 * 5);
    LoudnessResult r = m.result();
    assertThat(r.integratedLufs()).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(r.samplePeakDbfs()).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(r.loudnessRangeLu()).isZero();

    LoudnessResult shortOne = stereo(48000, new double[] {-10}, new double[] {0.3});
    assertThat(shortOne.integratedLufs()).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(shortOne.momentaryMaxLufs()).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(shortOne.shortTermMaxLufs()).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(shortOne.samplePeakDbfs()).isCloseTo(-10, within(0.01));
  }

  @Test
  void momentaryMaximumCatchesAShortBurst() {
    // 0.4 s at -20 between -40: the 10 ms grid lands a momentary window on the burst.
    LoudnessResult r = stereo(48000, new double[] {-40, -20, -40}, new double[] {2.013, 0.4, 2});
    assertThat(r.momentaryMaxLufs()).isCloseTo(-20.0, within(0.15));
  }
}
