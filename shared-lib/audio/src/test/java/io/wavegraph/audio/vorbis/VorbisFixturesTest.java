package io.wavegraph.audio.vorbis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wavegraph.audio.AudioDecoders;
import io.wavegraph.audio.AudioFormatException;
import io.wavegraph.audio.AudioSource;
import io.wavegraph.audio.Fixtures;
import io.wavegraph.audio.ReferenceSamples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Our decode against libvorbis's (oggdec, 16-bit) decode of the same file (see resources/vorbis/README.md). */
class VorbisFixturesTest {
  @ParameterizedTest
  @CsvSource({
    "stereo_44k_q5, 44100, 2",
    "mono_48k_q0, 48000, 1",
    "stereo_22k_q9, 22050, 2",
    "mono_44k_q3_comments, 44100, 1",
    "chained_44k, 44100, 2",
  })
  void matchesLibvorbis(String name, int rate, int channels) throws Exception {
    ReferenceSamples ref = ReferenceSamples.load(Fixtures.path("vorbis", name + ".ref.txt"));
    try (AudioSource s = AudioDecoders.open(Fixtures.path("vorbis", name + ".ogg"))) {
      assertThat(s.sampleRate()).isEqualTo(rate);
      assertThat(s.channels()).isEqualTo(channels);
      assertThat(s.frames()).isEqualTo(-1);
      float[] x = Fixtures.decode(s, 1000);
      assertThat(x.length / channels).isEqualTo(ref.frames());
      // oggdec rounds libvorbis's floats to 16 bits: within half a step plus float noise.
      assertThat(ref.maxError(x, 32768)).isLessThan(0.52);
    }
  }

  @Test
  void opusIsRecognisedAndRefused() {
    assertThatThrownBy(() -> AudioDecoders.open(Fixtures.path("vorbis", "opus_mono.opus")))
        .isInstanceOf(AudioFormatException.class)
        .hasMessageEndingWith("opus_mono.opus: unsupported: Ogg Opus (of Ogg formats only Vorbis is decoded)");
  }
}
