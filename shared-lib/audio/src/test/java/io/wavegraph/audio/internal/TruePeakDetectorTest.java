package io.wavegraph.audio.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class TruePeakDetectorTest {

  @Test
  void findsThePeakBetweenSamples() {
    // A full-scale sine at a quarter of the rate, sampled 45 degrees off its crests: every sample
    // is at 0.707, the signal itself reaches 1.0.
    int frames = 48000;
    float[] x = new float[frames * 2];
    for (int i = 0; i < frames; i++) {
      float v = (float) Math.sin(Math.PI / 2 * i + Math.PI / 4);
      x[2 * i] = v;
      x[2 * i + 1] = v * 0.5f;
    }
    TruePeakDetector d = new TruePeakDetector(48000, 2);
    d.add(x, frames);
    assertThat(d.peak()).isCloseTo(1.0, within(0.02)); // 0.17 dB: a 32-tap interpolator's ripple
  }

  @Test
  void blockSizesDoNotChangeTheResult() {
    float[] x = new float[10_007 * 2];
    Random r = new Random(9);
    for (int i = 0; i < x.length; i++) x[i] = (float) (r.nextGaussian() * 0.2);
    TruePeakDetector whole = new TruePeakDetector(44100, 2);
    whole.add(x, 10_007);
    for (int block : new int[] {1, 31, 1024, 3000}) {
      TruePeakDetector d = new TruePeakDetector(44100, 2);
      float[] buf = new float[block * 2];
      for (int at = 0; at < 10_007; at += block) {
        int n = Math.min(block, 10_007 - at);
        System.arraycopy(x, at * 2, buf, 0, n * 2);
        d.add(buf, n);
      }
      assertThat(d.peak()).as("block %d", block).isEqualTo(whole.peak());
    }
  }
}
