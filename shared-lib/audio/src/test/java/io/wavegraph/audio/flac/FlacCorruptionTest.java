package io.wavegraph.audio.flac;

import static io.wavegraph.audio.flac.FlacFixturesTest.bytes;
import static io.wavegraph.audio.flac.FlacFixturesTest.openBytes;
import static io.wavegraph.audio.flac.FlacFixturesTest.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wavegraph.audio.AudioDecoders;
import io.wavegraph.audio.AudioFormatException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Damaged input must fail with a message naming the file and the problem, quickly. */
class FlacCorruptionTest {
  private static final String GOOD = "s16_stereo_44k_default.flac";

  /** Offset of the first frame: just after the last metadata block. */
  private static int firstFrame(byte[] b) {
    int p = 4;
    boolean last = false;
    while (!last) {
      last = (b[p] & 0x80) != 0;
      int len = (b[p + 1] & 0xFF) << 16 | (b[p + 2] & 0xFF) << 8 | (b[p + 3] & 0xFF);
      p += 4 + len;
    }
    return p;
  }

  @Test
  void truncatedFileNamesTheFrame() {
    byte[] good = bytes(GOOD);
    byte[] cut = Arrays.copyOf(good, good.length * 6 / 10);
    assertThatThrownBy(() -> readAll(openBytes(cut, "tracks/cut.flac"), 4096))
        .isInstanceOf(AudioFormatException.class)
        .hasMessageMatching("tracks/cut\\.flac: truncated (in frame \\d+|: stream ends after \\d+ of 22050 samples)");
  }

  @Test
  void everyTruncationPointFails() {
    byte[] good = bytes(GOOD);
    for (int len = 0; len < good.length; len += 211) {
      byte[] cut = Arrays.copyOf(good, len);
      assertThatThrownBy(() -> readAll(openBytes(cut, "cut.flac"), 4096))
          .as("cut at %d", len)
          .isInstanceOf(AudioFormatException.class)
          .hasMessageStartingWith("cut.flac: ");
    }
  }

  @Test
  void flippedByteInAFrameIsCaught() {
    byte[] good = bytes(GOOD);
    int from = firstFrame(good);
    Random random = new Random(42);
    for (int i = 0; i < 300; i++) {
      byte[] bad = good.clone();
      int at = from + random.nextInt(good.length - from);
      bad[at] ^= (byte) (1 << random.nextInt(8));
      assertThatThrownBy(() -> readAll(openBytes(bad, "bad.flac"), 4096))
          .as("flip at %d", at)
          .isInstanceOf(AudioFormatException.class)
          .hasMessageMatching("bad\\.flac: .*(frame|sync|truncated|MD5).*");
    }
  }

  @Test
  void flippedBitInResidualReportsCrc16() {
    byte[] good = bytes(GOOD);
    byte[] bad = good.clone();
    int at = firstFrame(good) + 2000; // inside the first frame's residual (frames are ~6 KB)
    bad[at] ^= 0x01;
    assertThatThrownBy(() -> readAll(openBytes(bad, "bad.flac"), 4096))
        .isInstanceOf(AudioFormatException.class)
        .hasMessageMatching("bad\\.flac: frame 0 \\(byte \\d+\\): (CRC-16 mismatch|residual out of range.*)");
  }

  @Test
  void garbageBetweenFramesIsABadSyncCode() {
    byte[] good = bytes(GOOD);
    int at = firstFrame(good);
    byte[] bad = new byte[good.length + 3];
    System.arraycopy(good, 0, bad, 0, at);
    bad[at] = 0x12;
    bad[at + 1] = 0x34;
    bad[at + 2] = 0x56;
    System.arraycopy(good, at, bad, at + 3, good.length - at);
    assertThatThrownBy(() -> readAll(openBytes(bad, "bad.flac"), 4096))
        .hasMessage("bad.flac: bad sync code at byte " + at + " (expected frame 0)");
  }

  @Test
  void randomBytesNamedFlacFailFast(@TempDir Path dir) throws Exception {
    byte[] junk = new byte[1 << 20];
    new Random(1).nextBytes(junk);
    junk[0] = 0x3F;
    Path file = dir.resolve("song.flac");
    Files.write(file, junk);
    assertThatThrownBy(() -> AudioDecoders.open(file))
        .isInstanceOf(AudioFormatException.class)
        .hasMessageStartingWith(file + ": not a WAV, FLAC, Ogg Vorbis or MP3 file (starts with 3F ");
  }

  @Test
  void flacMarkerFollowedByJunkFails() {
    byte[] junk = new byte[1 << 16];
    new Random(2).nextBytes(junk);
    System.arraycopy("fLaC".getBytes(), 0, junk, 0, 4);
    assertThatThrownBy(() -> readAll(openBytes(junk, "junk.flac"), 4096))
        .isInstanceOf(AudioFormatException.class)
        .hasMessageStartingWith("junk.flac: ");
  }

  @Test
  void md5MismatchIsReported() {
    byte[] bad = bytes(GOOD).clone();
    bad[8 + 18 + 3] ^= 1; // a byte of the STREAMINFO MD5 (block header 4 + 18 bytes of fields)
    assertThatThrownBy(() -> readAll(openBytes(bad, "bad.flac"), 4096))
        .hasMessage("bad.flac: decoded audio does not match the STREAMINFO MD5");
  }

  private static long drain(io.wavegraph.audio.AudioSource src, float[] buf) throws Exception {
    long frames = 0;
    int n;
    while ((n = src.read(buf, 4096)) > 0) {
      frames += n;
    }
    return frames;
  }

}
