package io.wavegraph.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** WAV reading (hand-built headers) and writing (round trips through the reader). */
class WavTest {
  @TempDir Path dir;

  /** A RIFF/WAVE file assembled chunk by chunk. */
  static final class Riff {
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private String magic = "RIFF";

    Riff magic(String m) {
      magic = m;
      return this;
    }

    Riff chunk(String id, byte[] data) {
      return chunk(id, data.length, data);
    }

    Riff chunk(String id, long declaredSize, byte[] data) {
      ByteBuffer h = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      h.put(id.getBytes()).putInt((int) declaredSize);
      body.writeBytes(h.array());
      body.writeBytes(data);
      if (data.length % 2 == 1) {
        body.write(0);
      }
      return this;
    }

    byte[] bytes() {
      ByteBuffer h = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
      h.put(magic.getBytes()).putInt(body.size() + 4).put("WAVE".getBytes());
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      all.writeBytes(h.array());
      all.writeBytes(body.toByteArray());
      return all.toByteArray();
    }
  }

  static byte[] fmt(int tag, int channels, int rate, int bits, int blockAlign) {
    ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
    b.putShort((short) tag).putShort((short) channels).putInt(rate).putInt(rate * blockAlign)
        .putShort((short) blockAlign).putShort((short) bits);
    return b.array();
  }

  static byte[] extensible(int subTag, int channels, int rate, int bits, int validBits) {
    ByteBuffer b = ByteBuffer.allocate(40).order(ByteOrder.LITTLE_ENDIAN);
    int align = channels * bits / 8;
    b.putShort((short) 0xFFFE).putShort((short) channels).putInt(rate).putInt(rate * align)
        .putShort((short) align).putShort((short) bits).putShort((short) 22).putShort((short) validBits)
        .putInt(0).putShort((short) subTag)
        .put(new byte[] {0, 0, 0, 0, 0x10, 0, (byte) 0x80, 0, 0, (byte) 0xAA, 0, 0x38, (byte) 0x9B, 0x71});
    return b.array();
  }

  static float[] readAll(AudioSource s) throws IOException {
    try (s) {
      float[] out = new float[0];
      float[] buf = new float[5 * s.channels()];
      int total = 0;
      int n;
      while ((n = s.read(buf, 5)) > 0) {
        out = java.util.Arrays.copyOf(out, (total + n) * s.channels());
        System.arraycopy(buf, 0, out, total * s.channels(), n * s.channels());
        total += n;
      }
      return out;
    }
  }

  static AudioSource open(byte[] file, String name) throws IOException {
    return AudioDecoders.open(new ByteArrayInputStream(file), name);
  }

  @Test
  void decodesEveryPcmWidthAndFloat() throws Exception {
    byte[] u8 = {0, (byte) 128, (byte) 255, 64};
    assertThat(readAll(open(new Riff().chunk("fmt ", fmt(1, 1, 8000, 8, 1)).chunk("data", u8).bytes(), "a")))
        .containsExactly(-1f, 0f, 127 / 128f, -0.5f);
    byte[] s16 = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putShort((short) -32768).putShort((short) 16384).array();
    assertThat(readAll(open(new Riff().chunk("fmt ", fmt(1, 2, 8000, 16, 4)).chunk("data", s16).bytes(), "a")))
        .containsExactly(-1f, 0.5f);
    byte[] s24 = {0, 0, (byte) 0x80, (byte) 0xFF, (byte) 0xFF, 0x7F, 0, 0, 0x40};
    assertThat(readAll(open(new Riff().chunk("fmt ", extensible(1, 3, 8000, 24, 24)).chunk("data", s24).bytes(), "a")))
        .containsExactly(-1f, 8388607 / 8388608f, 0.5f);
    byte[] s32 = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(Integer.MIN_VALUE / 4).array();
    assertThat(readAll(open(new Riff().chunk("fmt ", fmt(1, 1, 8000, 32, 4)).chunk("data", s32).bytes(), "a")))
        .containsExactly(-0.25f);
    byte[] f32 = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(0.25f).putFloat(-1.5f).array();
    assertThat(readAll(open(new Riff().chunk("fmt ", extensible(3, 2, 8000, 32, 32)).chunk("data", f32).bytes(), "a")))
        .containsExactly(0.25f, -1.5f);
    byte[] f64 = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putDouble(-0.125).array();
    assertThat(readAll(open(new Riff().chunk("fmt ", fmt(3, 1, 8000, 64, 8)).chunk("data", f64).bytes(), "a")))
        .containsExactly(-0.125f);
  }

  @Test
  void skipsUnknownChunksWithOddSizes() throws Exception {
    byte[] s16 = ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort((short) 8192).array();
    byte[] file = new Riff().chunk("JUNK", new byte[3]).chunk("fmt ", fmt(1, 1, 44100, 16, 2))
        .chunk("LIST", new byte[5]).chunk("data", s16).chunk("id3 ", new byte[7]).bytes();
    try (AudioSource s = open(file, "a.wav")) {
      assertThat(s.sampleRate()).isEqualTo(44100);
      assertThat(s.frames()).isEqualTo(1);
      assertThat(readAll(s)).containsExactly(0.25f);
    }
  }

  @Test
  void truncatedDataChunkIsAnErrorForFilesAndStreams() throws Exception {
    byte[] file = new Riff().chunk("fmt ", fmt(1, 2, 44100, 16, 4)).chunk("data", 441000, new byte[1200]).bytes();
    Path p = dir.resolve("a.wav");
    Files.write(p, file);
    assertThatThrownBy(() -> AudioDecoders.open(p))
        .isInstanceOf(AudioFormatException.class)
        .hasMessage(p + ": truncated: data chunk declares 441000 bytes but the file ends after 1200");
    assertThatThrownBy(() -> readAll(open(file, "tracks/a.wav")))
        .isInstanceOf(AudioFormatException.class)
        .hasMessage("tracks/a.wav: truncated: data chunk declares 441000 bytes but the file ends after 1200");
  }

  @Test
  void streamingSizesMeanToTheEnd() throws Exception {
    for (long size : new long[] {0, 0xFFFFFFFFL}) {
      byte[] file = new Riff().chunk("fmt ", fmt(1, 1, 8000, 16, 2)).chunk("data", size, new byte[10]).bytes();
      assertThat(readAll(open(file, "s.wav"))).hasSize(5);
      Path p = dir.resolve("s.wav");
      Files.write(p, file);
      try (AudioSource s = AudioDecoders.open(p)) {
        assertThat(s.frames()).isEqualTo(5);
      }
    }
  }

  @Test
  void rf64UsesTheDs64Size() throws Exception {
    ByteBuffer ds64 = ByteBuffer.allocate(28).order(ByteOrder.LITTLE_ENDIAN).putLong(0).putLong(4).putLong(2).putInt(0);
    byte[] file = new Riff().magic("RF64").chunk("ds64", ds64.array()).chunk("fmt ", fmt(1, 1, 8000, 16, 2))
        .chunk("data", 0xFFFFFFFFL, new byte[6]).bytes();
    assertThat(readAll(open(file, "x.wav"))).hasSize(2);
  }

  @Test
  void malformedHeadersAreNamed() {
    assertThatThrownBy(() -> open(new Riff().chunk("data", new byte[4]).bytes(), "a.wav"))
        .hasMessage("a.wav: missing fmt chunk before the data chunk");
    assertThatThrownBy(() -> open(new Riff().chunk("LIST", new byte[4]).bytes(), "a.wav"))
        .hasMessage("a.wav: missing fmt chunk");
    assertThatThrownBy(() -> open(new Riff().chunk("fmt ", fmt(0x55, 2, 44100, 16, 4)).chunk("data", new byte[4]).bytes(), "a.wav"))
        .hasMessageContaining("a.wav: unsupported WAV format tag 0x0055");
    assertThatThrownBy(() -> open(new Riff().chunk("fmt ", fmt(1, 0, 44100, 16, 4)).chunk("data", new byte[4]).bytes(), "a.wav"))
        .hasMessage("a.wav: fmt chunk declares 0 channels");
    assertThatThrownBy(() -> open(new Riff().chunk("fmt ", fmt(1, 2, 0, 16, 4)).chunk("data", new byte[4]).bytes(), "a.wav"))
        .hasMessage("a.wav: fmt chunk declares sample rate 0");
    assertThatThrownBy(() -> open(new Riff().chunk("fmt ", fmt(1, 2, 44100, 16, 6)).chunk("data", new byte[4]).bytes(), "a.wav"))
        .hasMessage("a.wav: block align 6 does not match 2 channels of 16 bits");
    assertThatThrownBy(() -> open(new Riff().chunk("fmt ", 0x7FFFFFF0L, new byte[16]).bytes(), "a.wav"))
        .isInstanceOf(AudioFormatException.class)
        .hasMessageContaining("truncated");
    assertThatThrownBy(() -> open(new byte[0], "e.wav")).hasMessage("e.wav: empty file, not a WAV, FLAC, Ogg Vorbis or MP3 file");
  }

  @ParameterizedTest
  @EnumSource(SampleFormat.class)
  void writerRoundTrips(SampleFormat format) throws Exception {
    for (int channels : new int[] {1, 2, 6}) {
      float[] in = {0f, 0.5f, -0.5f, 1f, -1f, 0.25f, 1.5f, -2f, 1e-6f, -0.333f, 0.7f, 0.1f};
      Path p = dir.resolve("w.wav");
      try (WavWriter w = WavWriter.create(p, 44100, channels, format)) {
        w.write(in, in.length / channels);
      }
      try (AudioSource s = AudioDecoders.open(p)) {
        assertThat(s.channels()).isEqualTo(channels);
        assertThat(s.sampleRate()).isEqualTo(44100);
        assertThat(s.bitsPerSample()).isEqualTo(format.bitsPerSample());
        assertThat(s.frames()).isEqualTo(in.length / channels);
        float[] out = readAll(s);
        double step = format == SampleFormat.FLOAT_32 ? 0 : Math.pow(2, 1 - format.bitsPerSample());
        for (int i = 0; i < in.length; i++) {
          float expected = format == SampleFormat.FLOAT_32 ? in[i] : (float) Math.max(-1, Math.min(1 - step, in[i]));
          assertThat((double) out[i]).as("sample %d", i).isCloseTo(expected, org.assertj.core.api.Assertions.within(step / 2 + 1e-9));
        }
      }
      byte[] header = Files.readAllBytes(p);
      int tag = (header[20] & 0xFF) | (header[21] & 0xFF) << 8;
      assertThat(tag).isEqualTo(channels > 2 || format != SampleFormat.PCM_16 ? 0xFFFE : 1);
    }
  }

  @ParameterizedTest
  @EnumSource(SampleFormat.class)
  void writerBlocksLargerThanItsBufferRoundTripInOrder(SampleFormat format) throws Exception {
    // 3 x 40,001 stereo frames: several fills of the writer's 64 KiB buffer, ending mid-fill.
    Path p = dir.resolve("big.wav");
    float[] in = new float[80_002];
    for (int i = 0; i < in.length; i++) in[i] = (float) Math.sin(i * 0.001) * 0.9f;
    try (WavWriter w = WavWriter.create(p, 22050, 2, format)) {
      for (int k = 0; k < 3; k++) w.write(in, in.length / 2);
    }
    double step = format == SampleFormat.FLOAT_32 ? 0 : Math.pow(2, 1 - format.bitsPerSample());
    try (AudioSource s = AudioDecoders.open(p)) {
      assertThat(s.frames()).isEqualTo(3L * in.length / 2);
      float[] out = readAll(s);
      for (int i = 0; i < out.length; i++) {
        assertThat((double) out[i]).as("sample %d", i).isCloseTo(in[i % in.length], within(step / 2 + 1e-9));
      }
    }
  }

  @Test
  void writerRoundsToNearestAndClips() throws Exception {
    Path p = dir.resolve("r.wav");
    try (WavWriter w = WavWriter.create(p, 8000, 1, SampleFormat.PCM_16)) {
      w.write(new float[] {1.4f / 32768, 1.6f / 32768, -1.6f / 32768, 2f, -2f, Float.NaN}, 6);
    }
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(p)).order(ByteOrder.LITTLE_ENDIAN);
    b.position(44);
    assertThat(new short[] {b.getShort(), b.getShort(), b.getShort(), b.getShort(), b.getShort(), b.getShort()})
        .containsExactly(1, 2, -2, 32767, -32768, 0);
  }

  @Test
  void writerToAStreamUsesStreamingSizes() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (WavWriter w = WavWriter.create(out, 16000, 2, SampleFormat.PCM_24)) {
      w.write(new float[] {0.5f, -0.5f, 0.25f, -0.25f}, 2);
    }
    assertThat(readAll(open(out.toByteArray(), "stream"))).containsExactly(0.5f, -0.5f, 0.25f, -0.25f);
  }
}
