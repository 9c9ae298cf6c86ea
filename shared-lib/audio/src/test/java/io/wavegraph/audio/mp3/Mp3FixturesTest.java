package io.wavegraph.audio.mp3;

import static org.assertj.core.api.Assertions.assertThat;

import io.wavegraph.audio.AudioDecoders;
import io.wavegraph.audio.AudioSource;
import io.wavegraph.audio.Fixtures;
import io.wavegraph.audio.ReferenceSamples;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Our decode against mpg123's float decode of the same file (see resources/mp3/README.md). */
class Mp3FixturesTest {
  @ParameterizedTest
  @CsvSource({
    "stereo_44k_cbr128.mp3, 44100, 2, true",
    "stereo_44k_vbr_v2.mp3, 44100, 2, true",
    "mono_48k_cbr96_id3.mp3, 48000, 1, true",
    "mono_48k_vbr_v4_id3v1.mp3, 48000, 1, true",
    "stereo_22k_mpeg2_cbr64.mp3, 22050, 2, true",
    "stereo_11k_mpeg25_cbr32.mp3, 11025, 2, true",
    "mono_32k_notag.mp3, 32000, 1, false",
    "stereo_44k_crc.mp3, 44100, 2, true",
    "stereo_48k_layer2.mp2, 48000, 2, false",
  })
  void matchesMpg123(String file, int rate, int channels, boolean gapless) throws Exception {
    ReferenceSamples ref = ReferenceSamples.load(Fixtures.path("mp3", file.replaceAll("\\.mp[23]$", ".ref.txt")));
    try (AudioSource s = AudioDecoders.open(Fixtures.path("mp3", file))) {
      assertThat(s.sampleRate()).isEqualTo(rate);
      assertThat(s.channels()).isEqualTo(channels);
      // With a LAME tag the exact (gapless) length is known before decoding.
      assertThat(s.frames()).isEqualTo(gapless ? ref.frames() : -1);
      float[] x = Fixtures.decode(s, 1000);
      assertThat(x.length / channels).isEqualTo(ref.frames());
      assertThat(ref.maxError(x, 1)).isLessThan(1e-5);
      assertThat(ref.snrDb(x, 1)).isGreaterThan(100);
    }
  }
}
