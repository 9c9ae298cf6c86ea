package io.wavegraph.audio.mp3;

import static org.assertj.core.api.Assertions.assertThat;

import io.wavegraph.audio.AudioFormatException;
import io.wavegraph.audio.AudioSource;
import io.wavegraph.audio.Damage;
import io.wavegraph.audio.Fixtures;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Damaged MPEG audio ends in audio or an error naming the file, never a hang or a raw exception. */
class Mp3CorruptionTest {
  private static final byte[] GOOD = Fixtures.bytes("mp3", "stereo_44k_cbr128.mp3"); // Info frame, then 40 frames
  private static final int[] FRAMES = frameOffsets(GOOD);
  private static final byte[] TAGGED = Fixtures.bytes("mp3", "mono_48k_cbr96_id3.mp3");
  private static final byte[] UNTAGGED = Fixtures.bytes("mp3", "mono_32k_notag.mp3");

  /** Where each frame of an untagged stream starts, and (last) where the frames end. */
  static int[] frameOffsets(byte[] b) {
    int[] at = new int[b.length / 24 + 1];
    int n = 0;
    int p = 0;
    while (p + 4 <= b.length) {
      MpegHeader h = MpegHeader.parse((b[p] & 0xFF) << 24 | (b[p + 1] & 0xFF) << 16 | (b[p + 2] & 0xFF) << 8 | (b[p + 3] & 0xFF));
      if (h == null) {
        break;
      }
      at[n++] = p;
      p += h.frameLength;
    }
    at[n++] = p;
    return Arrays.copyOf(at, n);
  }

  @Test
  void everyCutFails() {
    // The Info frame's frame count catches even a cut exactly between frames.
    for (byte[] good : new byte[][] {GOOD, TAGGED}) {
      for (int len = 0; len < good.length - 128; len += 37) { // the last 128 bytes of TAGGED are its ID3v1 tag
        Damage.mustFail(Arrays.copyOf(good, len), "cut.mp3", "cut at " + len);
      }
    }
  }

  @Test
  void cutsWithoutAnInfoFrameEndOrFail() {
    for (int len = 0; len < UNTAGGED.length; len += 23) {
      Damage.decodeOrFail(Arrays.copyOf(UNTAGGED, len), "cut.mp3", "cut at " + len);
    }
  }

  @Test
  void cutMessages() {
    assertThat(FRAMES).hasSize(42);
    int len = FRAMES[4] - FRAMES[3];
    assertThat(Damage.mustFail(Arrays.copyOf(GOOD, FRAMES[3] + 100), "cut.mp3", "mid-frame").problem())
        .isEqualTo("truncated in frame 3 (byte " + FRAMES[3] + "): 100 of " + len + " bytes");
    assertThat(Damage.mustFail(Arrays.copyOf(GOOD, FRAMES[11]), "cut.mp3", "between frames").problem())
        .isEqualTo("truncated: stream ends after 10 of 40 frames");
    assertThat(Damage.mustFail(Arrays.copyOf(GOOD, FRAMES[1]), "cut.mp3", "Info frame only").problem())
        .isEqualTo("truncated: stream ends after 0 of 40 frames");
  }

  @Test
  void junkBetweenFramesIsLostSync() {
    byte[] bad = new byte[GOOD.length + 3];
    int at = FRAMES[6];
    System.arraycopy(GOOD, 0, bad, 0, at);
    System.arraycopy(GOOD, at, bad, at + 3, GOOD.length - at);
    bad[at] = 0x12;
    bad[at + 1] = 0x34;
    bad[at + 2] = 0x56;
    assertThat(Damage.mustFail(bad, "bad.mp3", "junk").problem())
        .isEqualTo("lost frame sync at byte " + at + " after frame 5 (found 12 34 56 FF)");
  }

  @Test
  void trailingZerosAndTagsEndTheAudio() throws Exception {
    byte[] padded = Arrays.copyOf(GOOD, GOOD.length + 3000);
    assertThat(Damage.decodeOrFail(padded, "padded.mp3", "zeros")).isNull();
    byte[] ape = Arrays.copyOf(GOOD, GOOD.length + 64);
    System.arraycopy("APETAGEX".getBytes(), 0, ape, GOOD.length, 8);
    assertThat(Damage.decodeOrFail(ape, "ape.mp3", "APE tag")).isNull();
  }

  @Test
  void flippedBitsDecodeOrFail() {
    Random random = new Random(11);
    int failed = 0;
    for (int i = 0; i < Damage.SEEDS; i++) {
      byte[] source = i % 2 == 0 ? GOOD : TAGGED;
      failed += Damage.decodeOrFail(Damage.flipBits(source, 0, random), "flip.mp3", "seed " + i) != null ? 1 : 0;
    }
    // Most flips land in Huffman data, which MP3 cannot check; header flips must be caught.
    assertThat(failed).isPositive();
  }

  @Test
  void randomDataAfterMpegLikeStarts() {
    Random random = new Random(5);
    byte[][] prefixes = {
      Arrays.copyOf(GOOD, FRAMES[3]), // Info frame and two audio frames, then noise
      Arrays.copyOf(GOOD, FRAMES[2] + 4), // ... cut after the next header
      {(byte) 0xFF, (byte) 0xFB, (byte) 0x90, 0x64},
      {'I', 'D', '3', 4, 0, 0, 0, 0, 0, 0},
    };
    for (int i = 0; i < Damage.SEEDS; i++) {
      byte[] prefix = prefixes[i % prefixes.length];
      byte[] data = Damage.randomAfter(prefix, prefix.length + 1 + random.nextInt(20000), random);
      Damage.decodeOrFail(data, "noise.mp3", "seed " + i);
    }
  }

  @Test
  void undecodableFrameDataNamesTheFrame() {
    // Every audio frame's main data filled with noise, headers and side info kept.
    Random random = new Random(1);
    for (int seed = 0; seed < 50; seed++) {
      byte[] bad = GOOD.clone();
      for (int f = 1; f + 1 < FRAMES.length; f++) {
        for (int i = FRAMES[f] + 4 + 32; i < FRAMES[f + 1]; i++) {
          bad[i] = (byte) random.nextInt();
        }
      }
      AudioFormatException e = Damage.decodeOrFail(bad, "noise.mp3", "seed " + seed);
      if (e != null) {
        assertThat(e.problem()).matches("frame \\d+ \\(byte \\d+\\): undecodable frame data \\(\\w+\\)");
      }
    }
  }

  private static long drain(AudioSource src, float[] buf) throws Exception {
    try (src) {
      long frames = 0;
      int n;
      while ((n = src.read(buf, 4096)) > 0) {
        frames += n;
      }
      return frames;
    }
  }
}
