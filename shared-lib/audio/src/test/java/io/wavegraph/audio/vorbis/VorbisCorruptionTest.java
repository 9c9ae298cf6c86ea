package io.wavegraph.audio.vorbis;

import static org.assertj.core.api.Assertions.assertThat;

import io.wavegraph.audio.AudioSource;
import io.wavegraph.audio.Damage;
import io.wavegraph.audio.Fixtures;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Damaged Ogg Vorbis ends in audio or an error naming the file, never a hang or a raw exception. */
class VorbisCorruptionTest {
  private static final byte[] GOOD = Fixtures.bytes("vorbis", "stereo_44k_q5.ogg");
  private static final int[] PAGES = OggPages.starts(GOOD);

  @Test
  void everyCutFails() {
    assertThat(PAGES[PAGES.length - 1]).isEqualTo(GOOD.length);
    for (int len = 0; len < GOOD.length; len += 41) {
      Damage.mustFail(Arrays.copyOf(GOOD, len), "cut.ogg", "cut at " + len);
    }
  }

  @Test
  void cutMessages() {
    int last = PAGES[PAGES.length - 2];
    assertThat(Damage.mustFail(Arrays.copyOf(GOOD, last), "cut.ogg", "before the last page").problem())
        .matches("truncated: Ogg stream ends without an end-of-stream page \\(after \\d+ samples\\)");
    assertThat(Damage.mustFail(Arrays.copyOf(GOOD, last + 100), "cut.ogg", "in the last page").problem())
        .isEqualTo("truncated in the Ogg page at byte " + last + " (100 bytes of it present)");
    assertThat(Damage.mustFail(Arrays.copyOf(GOOD, PAGES[1]), "cut.ogg", "first page only").problem())
        .isEqualTo("truncated in the Vorbis comment header");
  }

  @Test
  void everyFlippedBitIsCaughtByThePageChecksum() {
    Random random = new Random(3);
    for (int i = 0; i < Damage.SEEDS; i++) {
      assertThat(Damage.mustFail(Damage.flipBits(GOOD, 0, random), "flip.ogg", "seed " + i).problem())
          .as("seed %d", i)
          .matches("corrupt Ogg page at byte \\d+ \\(bad checksum or no capture pattern\\)|"
              + "not a WAV, FLAC, Ogg Vorbis or MP3 file .*|first Ogg page is not the start of a stream|"
              + "no Vorbis stream in the Ogg file.*|truncated.*");
    }
  }

  @Test
  void damagedPacketsWithValidChecksumsDecodeOrFail() {
    // Flip bits inside page bodies and re-stamp the CRCs, so the damage reaches JOrbis itself:
    // the identification, comment and setup headers as well as audio packets.
    Random random = new Random(4);
    for (int i = 0; i < Damage.SEEDS; i++) {
      byte[] bad = GOOD.clone();
      int page = PAGES[random.nextInt(PAGES.length - 1)];
      int body = page + OggPages.headerLength(bad, page);
      int end = page + OggPages.length(bad, page);
      for (int k = 0, n = 1 + random.nextInt(8); k < n && end > body; k++) {
        bad[body + random.nextInt(end - body)] ^= (byte) (1 << random.nextInt(8));
      }
      Damage.decodeOrFail(OggPages.restamp(bad), "packet.ogg", "seed " + i + ", page at " + page);
    }
  }

  @Test
  void damagedSetupHeaderWithValidChecksumsDecodesOrFails() {
    // The setup header sizes JOrbis's codebooks and tables: damage there must not hang or exhaust memory.
    assertThat(PAGES.length).isGreaterThan(3);
    Random random = new Random(9);
    int body = PAGES[1] + OggPages.headerLength(GOOD, PAGES[1]);
    for (int i = 0; i < Damage.SEEDS; i++) {
      byte[] bad = GOOD.clone();
      for (int k = 0, n = 1 + random.nextInt(4); k < n; k++) {
        bad[body + random.nextInt(PAGES[2] - body)] ^= (byte) (1 << random.nextInt(8));
      }
      Damage.decodeOrFail(OggPages.restamp(bad), "setup.ogg", "seed " + i);
    }
  }

  @Test
  void randomPacketsWithValidChecksumsDecodeOrFail() {
    // Pages after the headers filled with noise: every audio packet is garbage to JOrbis.
    Random random = new Random(6);
    for (int i = 0; i < 40; i++) {
      byte[] bad = GOOD.clone();
      for (int p = 3; p + 1 < PAGES.length; p++) {
        for (int k = PAGES[p] + OggPages.headerLength(bad, PAGES[p]); k < PAGES[p + 1]; k++) {
          bad[k] = (byte) random.nextInt();
        }
      }
      Damage.decodeOrFail(OggPages.restamp(bad), "noise.ogg", "seed " + i);
    }
  }

  @Test
  void randomDataAfterAnOggStart() {
    Random random = new Random(8);
    byte[][] prefixes = {"OggS".getBytes(), Arrays.copyOf(GOOD, 58), Arrays.copyOf(GOOD, PAGES[2])};
    for (int i = 0; i < Damage.SEEDS; i++) {
      byte[] prefix = prefixes[i % prefixes.length];
      Damage.mustFail(Damage.randomAfter(prefix, prefix.length + 1 + random.nextInt(20000), random), "noise.ogg", "seed " + i);
    }
  }

  @Test
  void chainedStreamThatChangesFormatFails() {
    byte[] other = Fixtures.bytes("vorbis", "mono_48k_q0.ogg");
    byte[] both = Arrays.copyOf(GOOD, GOOD.length + other.length);
    System.arraycopy(other, 0, both, GOOD.length, other.length);
    assertThat(Damage.mustFail(both, "chain.ogg", "format change").problem())
        .isEqualTo("chained Vorbis stream at byte " + GOOD.length
            + " changes format from 44100 Hz, 2 channel(s) to 48000 Hz, 1 channel(s)");
  }

  @Test
  void headerOnlyFileFails() {
    assertThat(Damage.mustFail(Arrays.copyOf(GOOD, PAGES[2]), "head.ogg", "headers only").problem())
        .isEqualTo("truncated: Ogg stream ends without an end-of-stream page (after 0 samples)");
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
