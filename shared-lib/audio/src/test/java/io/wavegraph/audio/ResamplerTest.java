package io.wavegraph.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.wavegraph.audio.Resampler.Quality;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResamplerTest {

  static float[] resample(Resampler r, float[] in, int block) {
    int ch = r.channels();
    int frames = in.length / ch;
    float[] out = new float[(int) (r.outputLength(frames) + 16) * ch];
    float[] buf = new float[r.maxOutputFrames(block) * ch];
    float[] chunk = new float[block * ch];
    int total = 0;
    for (int at = 0; at < frames; at += block) {
      int n = Math.min(block, frames - at);
      System.arraycopy(in, at * ch, chunk, 0, n * ch);
      int k = r.process(chunk, n, buf);
      System.arraycopy(buf, 0, out, total * ch, k * ch);
      total += k;
    }
    int k;
    while ((k = r.flush(buf)) > 0) {
      System.arraycopy(buf, 0, out, total * ch, k * ch);
      total += k;
    }
    return Arrays.copyOf(out, total * ch);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({"44100,16000", "48000,44100", "96000,44100", "22050,44100", "44100,48000", "48000,22050", "8000,48000"})
  void sineKeepsAmplitudeAndPhase(int inRate, int outRate) {
    float[] in = Signals.sine(1000, inRate, inRate, 1, 0.5); // 1 s
    float[] out = resample(Resampler.create(inRate, outRate, 1), in, 4096);
    assertThat(out.length).isEqualTo(outRate);
    double[] fit = Signals.fitSine(out, 1, 0, 1000, outRate, outRate / 4, outRate * 3 / 4);
    double gainDb = 20 * Math.log10(fit[0] / 0.5);
    System.out.printf("%d->%d: 1 kHz gain %.6f dB, phase %.2e rad, residual %.1f dB%n",
        inRate, outRate, gainDb, fit[1], Signals.dbRelFullScaleSine(fit[2]));
    assertThat(gainDb).isCloseTo(0, within(0.001));
    assertThat(fit[1]).isCloseTo(0, within(1e-5));
    assertThat(Signals.dbRelFullScaleSine(fit[2])).isLessThan(-130);
  }

  @Test
  void passbandIsFlatToNinetyPercentOfTheLowerNyquist() {
    double worst = 0;
    for (double f : new double[] {20, 100, 1000, 3000, 5000, 6000, 7000, 7200}) {
      float[] in = Signals.sine(f, 44100, 44100, 1, 0.5);
      float[] out = resample(Resampler.create(44100, 16000, 1), in, 4096);
      double[] fit = Signals.fitSine(out, 1, 0, f, 16000, 4000, 12000);
      worst = Math.max(worst, Math.abs(20 * Math.log10(fit[0] / 0.5)));
    }
    System.out.printf("44100->16000 passband deviation up to 7.2 kHz: %.2e dB%n", worst);
    assertThat(worst).isLessThan(0.01);
  }

  @ParameterizedTest(name = "{0} -> {1}, tone {2} Hz")
  @CsvSource({"44100,16000,9000", "44100,16000,8000", "48000,22050,12000", "96000,44100,30000", "48000,44100,22100",
      "44100,16000,20000"})
  void toneAboveTheNewNyquistIsRemoved(int inRate, int outRate, double f) {
    float[] in = Signals.sine(f, inRate, inRate, 1, 1.0);
    float[] out = resample(Resampler.create(inRate, outRate, 1), in, 4096);
    double level = Signals.dbRelFullScaleSine(Signals.rms(out, 1, 0, outRate / 4, outRate * 3 / 4));
    System.out.printf("%d->%d: full-scale %.0f Hz leaves %.1f dB%n", inRate, outRate, f, level);
    assertThat(level).isLessThan(-140);
  }

  @Test
  void upsamplingPreservesA5kHzToneWithoutImages() {
    float[] in = Signals.sine(5000, 22050, 22050, 1, 0.5);
    float[] out = resample(Resampler.create(22050, 44100, 1), in, 1000);
    double[] fit = Signals.fitSine(out, 1, 0, 5000, 44100, 11025, 33075);
    double residual = Signals.dbRelFullScaleSine(fit[2]);
    System.out.printf("22050->44100: 5 kHz gain %.2e dB, images and noise %.1f dB%n",
        20 * Math.log10(fit[0] / 0.5), residual);
    assertThat(20 * Math.log10(fit[0] / 0.5)).isCloseTo(0, within(0.01));
    assertThat(residual).isLessThan(-135); // float rounding of the output alone is about -150 dB
  }

  @ParameterizedTest
  @CsvSource({"44100,16000", "16000,44100", "48000,44100", "44100,44100", "96000,8000", "48000,44101"})
  void outputLengthIsExact(int inRate, int outRate) {
    for (int frames : new int[] {0, 1, 2, 3, 99, 441, 1000, 12345}) {
      Resampler r = Resampler.create(inRate, outRate, 2, Quality.FAST);
      float[] out = resample(r, new float[frames * 2], 256);
      assertThat(out.length / 2).as("%d frames", frames).isEqualTo(Math.round((double) frames * outRate / inRate));
    }
  }

  @Test
  void blockSizeDoesNotChangeTheOutput() {
    float[] in = new float[20000 * 2];
    java.util.Random random = new java.util.Random(1);
    for (int i = 0; i < in.length; i++) {
      in[i] = (float) random.nextGaussian() * 0.1f;
    }
    for (int[] rates : new int[][] {{44100, 16000}, {22050, 44100}, {44100, 22050}}) {
      for (int ch : new int[] {1, 2}) { // one channel pairs blocks in time; two pair the channels
        float[] whole = resample(Resampler.create(rates[0], rates[1], ch), in, in.length / ch);
        for (int block : new int[] {1, 7, 4096}) {
          assertThat(resample(Resampler.create(rates[0], rates[1], ch), in, block)).as(ch + " channels, blocks of " + block).isEqualTo(whole);
        }
      }
    }
  }

  @Test
  void resamplersSharingOneFilterDesignDoNotDisturbEachOther() throws Exception {
    // Designs are shared per (rates, quality) across channel counts and threads: run a stereo and
    // a mono stream of the same conversion at once, in lockstep on two threads, and compare each
    // with a run alone.
    float[] stereo = new float[30000 * 2];
    float[] mono = new float[30000];
    java.util.Random random = new java.util.Random(5);
    for (int i = 0; i < stereo.length; i++) stereo[i] = (float) random.nextGaussian() * 0.1f;
    for (int i = 0; i < mono.length; i++) mono[i] = (float) random.nextGaussian() * 0.1f;
    for (int[] rates : new int[][] {{44100, 22050}, {44100, 16000}, {22050, 44100}}) {
      float[] aloneStereo = resample(Resampler.create(rates[0], rates[1], 2), stereo, 512);
      float[] aloneMono = resample(Resampler.create(rates[0], rates[1], 1), mono, 512);
      java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
      try {
        var a = pool.submit(() -> resample(Resampler.create(rates[0], rates[1], 2), stereo, 512));
        var b = pool.submit(() -> resample(Resampler.create(rates[0], rates[1], 1), mono, 512));
        assertThat(a.get()).isEqualTo(aloneStereo);
        assertThat(b.get()).isEqualTo(aloneMono);
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void equalRatesCopy() {
    float[] in = Signals.sine(440, 48000, 1000, 2, 0.3);
    assertThat(resample(Resampler.create(48000, 48000, 2), in, 333)).isEqualTo(in);
  }

  @Test
  void awkwardRatioUsesInterpolatedPhasesAccurately() {
    // 48000 -> 44101 reduces to L = 44101 phases, too many to tabulate exactly.
    float[] in = Signals.sine(1000, 48000, 48000, 1, 0.5);
    float[] out = resample(Resampler.create(48000, 44101, 1), in, 4096);
    double[] fit = Signals.fitSine(out, 1, 0, 1000, 44101, 11000, 33000);
    float[] high = Signals.sine(23000, 48000, 48000, 1, 1.0);
    double stop = Signals.dbRelFullScaleSine(
        Signals.rms(resample(Resampler.create(48000, 44101, 1), high, 4096), 1, 0, 11000, 33000));
    System.out.printf("48000->44101 (interpolated): 1 kHz gain %.2e dB, phase %.1e, residual %.1f dB; 23 kHz leaves %.1f dB%n",
        20 * Math.log10(fit[0] / 0.5), fit[1], Signals.dbRelFullScaleSine(fit[2]), stop);
    assertThat(20 * Math.log10(fit[0] / 0.5)).isCloseTo(0, within(0.001));
    assertThat(fit[1]).isCloseTo(0, within(1e-5));
    assertThat(Signals.dbRelFullScaleSine(fit[2])).isLessThan(-130);
    assertThat(stop).isLessThan(-130);
  }

}
