package io.wavegraph.audio;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AudioDecodersTest {
  @TempDir Path dir;

  private static Path fixture(String name) throws Exception {
    return Path.of(AudioDecodersTest.class.getResource("/flac/" + name).toURI());
  }

  @Test
  void sniffsContentNotExtension() throws Exception {
    Path misnamed = dir.resolve("really-flac.wav");
    Files.copy(fixture("s16_mono_8k_b4096.flac"), misnamed);
    try (AudioSource s = AudioDecoders.open(misnamed)) {
      assertThat(s.sampleRate()).isEqualTo(8000);
      assertThat(s.frames()).isEqualTo(4000);
    }
  }

  @Test
  void skipsAnId3v2TagBeforeFlac() throws Exception {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes(new byte[] {'I', 'D', '3', 4, 0, 0, 0, 0, 1, 5}); // size 133 (synchsafe)
    b.writeBytes(new byte[133]);
    b.writeBytes(Files.readAllBytes(fixture("s16_mono_8k_b4096.flac")));
    try (AudioSource s = AudioDecoders.open(new ByteArrayInputStream(b.toByteArray()), "tagged.flac")) {
      assertThat(s.frames()).isEqualTo(4000);
      assertThat(WavTest.readAll(s)).hasSize(4000);
    }
  }

  @Test
  void resamplesASourceIntoAWriter() throws Exception {
    Path in = dir.resolve("in.wav");
    try (WavWriter w = WavWriter.create(in, 44100, 2, SampleFormat.FLOAT_32)) {
      w.write(Signals.sine(1000, 44100, 44100, 2, 0.5), 44100);
    }
    Path out = dir.resolve("out.wav");
    try (AudioSource src = AudioDecoders.open(in); WavWriter w = WavWriter.create(out, 16000, 2, SampleFormat.FLOAT_32)) {
      assertThat(Resampler.resample(src, w, Resampler.Quality.VERY_HIGH)).isEqualTo(16000);
    }
    try (AudioSource s = AudioDecoders.open(out)) {
      float[] y = WavTest.readAll(s);
      double[] fit = Signals.fitSine(y, 2, 1, 1000, 16000, 4000, 12000);
      assertThat(fit[0]).isCloseTo(0.5, org.assertj.core.api.Assertions.within(1e-6));
    }
  }
}
