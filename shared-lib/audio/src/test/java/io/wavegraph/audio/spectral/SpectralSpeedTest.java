package io.wavegraph.audio.spectral;

import static org.assertj.core.api.Assertions.assertThat;

import io.wavegraph.audio.AudioDecoders;
import io.wavegraph.audio.AudioSource;
import io.wavegraph.audio.SampleFormat;
import io.wavegraph.audio.WavWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark of the README: mel spectrogram of 30 s of 44.1 kHz stereo, decode to matrix. */
class SpectralSpeedTest {

  @Test
  void melSpectrogramOf30SecondsOfStereo(@TempDir Path dir) throws Exception {
    int rate = 44100;
    int seconds = 30;
    Path wav = dir.resolve("music.wav");
    try (WavWriter w = WavWriter.create(wav, rate, 2, SampleFormat.PCM_16)) {
      float[] block = new float[rate * 2];
      for (int s = 0; s < seconds; s++) {
        for (int n = 0; n < rate; n++) {
          double t = s + (double) n / rate;
          double v = 0.3 * Math.sin(2 * Math.PI * (220 + 20 * s) * t) + 0.1 * Math.sin(2 * Math.PI * 3520 * t) * Math.exp(-5 * (t % 0.5));
          block[2 * n] = (float) v;
          block[2 * n + 1] = (float) (0.8 * v);
        }
        w.write(block, rate);
      }
    }
    MelFilterbank bank = MelFilterbank.create(22050, 2048, 128, 0, 11025, MelScale.SLANEY, true);
    double best = Double.MAX_VALUE;
    double bestNative = Double.MAX_VALUE;
    MelFilterbank nativeBank = MelFilterbank.create(rate, 2048, 128, 0, rate / 2.0, MelScale.SLANEY, true);
    FloatMatrix m = null;
    for (int i = 0; i < 3; i++) {
      long t0 = System.nanoTime();
      try (AudioSource s = AudioDecoders.open(wav)) {
        m = Spectrograms.mel(s, StftParams.DEFAULT, bank);
      }
      best = Math.min(best, (System.nanoTime() - t0) / 1e9);
      t0 = System.nanoTime();
      try (AudioSource s = AudioDecoders.open(wav)) {
        Spectrograms.mel(s, StftParams.DEFAULT, nativeBank);
      }
      bestNative = Math.min(bestNative, (System.nanoTime() - t0) / 1e9);
    }
    assertThat(m.cols()).isEqualTo(1 + 22050 * seconds / 512);
    System.out.printf("mel spectrogram, 30 s 44.1 kHz stereo WAV: %.0fx real time resampled to 22050 Hz (%.3f s), "
        + "%.0fx at the file's rate (%.3f s)%n", seconds / best, best, seconds / bestNative, bestNative);
    assertThat(seconds / best).isGreaterThan(5);
  }
}
