package io.wavegraph.audio.flac;

import static org.assertj.core.api.Assertions.assertThat;

import io.wavegraph.audio.AudioDecoders;
import io.wavegraph.audio.AudioSource;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Decodes files made by the reference encoder and compares with the reference decoder's PCM. */
class FlacFixturesTest {

  static Path fixture(String file) {
    try {
      return Path.of(FlacFixturesTest.class.getResource("/flac/" + file).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static Stream<String[]> expected() throws IOException {
    List<String> lines = Files.readAllLines(fixture("expected.txt"));
    return lines.stream().filter(l -> !l.isBlank()).map(l -> l.split(" "));
  }

  /** MD5 of the decoded samples as little-endian signed integers, like {@code flac -d --force-raw-format}. */
  static String rawPcmMd5(FlacSource src) throws Exception {
    MessageDigest md5 = MessageDigest.getInstance("MD5");
    int bytes = (src.bitsPerSample() + 7) / 8;
    while (src.nextBlock()) {
      long[][] s = src.blockSamples();
      byte[] buf = new byte[src.blockSize() * src.channels() * bytes];
      int o = 0;
      for (int i = 0; i < src.blockSize(); i++) {
        for (int ch = 0; ch < src.channels(); ch++) {
          for (int b = 0; b < bytes; b++) {
            buf[o++] = (byte) (s[ch][i] >> (8 * b));
          }
        }
      }
      md5.update(buf);
    }
    return HexFormat.of().formatHex(md5.digest());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("expected")
  void decodesBitExactly(String name, String md5) throws Exception {
    try (InputStream in = Files.newInputStream(fixture(name + ".flac"))) {
      FlacSource src = FlacSource.open(in, name);
      assertThat(rawPcmMd5(src)).isEqualTo(md5);
    }
  }

  @Test
  void reportsFormatOfFixtures() throws Exception {
    try (AudioSource s = AudioDecoders.open(fixture("s24_stereo_48k_lpc32.flac"))) {
      assertThat(s.sampleRate()).isEqualTo(48000);
      assertThat(s.channels()).isEqualTo(2);
      assertThat(s.bitsPerSample()).isEqualTo(24);
      assertThat(s.frames()).isEqualTo(24000);
    }
    try (AudioSource s = AudioDecoders.open(fixture("s16_6ch_48k_b16384.flac"))) {
      assertThat(s.channels()).isEqualTo(6);
      assertThat(s.frames()).isEqualTo(24000);
    }
    try (AudioSource s = AudioDecoders.open(fixture("s8_mono_11025_b1000.flac"))) {
      assertThat(s.sampleRate()).isEqualTo(11025);
      assertThat(s.bitsPerSample()).isEqualTo(8);
    }
  }

  @Test
  void floatOutputMatchesTheReferenceDecodeAsWav() throws Exception {
    float[] a = readAll(AudioDecoders.open(fixture("s16_stereo_44k_default.flac")), 1000);
    float[] b = readAll(AudioDecoders.open(fixture("s16_stereo_44k_default.wav")), 777);
    assertThat(a).hasSize(2 * 22050).isEqualTo(b);
  }

  static float[] readAll(AudioSource src, int block) throws IOException {
    try (src) {
      float[] buf = new float[block * src.channels()];
      float[] all = new float[0];
      int total = 0;
      int n;
      while ((n = src.read(buf, block)) > 0) {
        if (all.length < (total + n) * src.channels()) {
          all = java.util.Arrays.copyOf(all, Math.max(all.length * 2, (total + n) * src.channels()));
        }
        System.arraycopy(buf, 0, all, total * src.channels(), n * src.channels());
        total += n;
      }
      assertThat(src.read(buf, block)).isEqualTo(-1);
      return java.util.Arrays.copyOf(all, total * src.channels());
    }
  }

  static byte[] bytes(String file) {
    try {
      return Files.readAllBytes(fixture(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static AudioSource openBytes(byte[] data, String name) throws IOException {
    return AudioDecoders.open(new ByteArrayInputStream(data), name);
  }
}
