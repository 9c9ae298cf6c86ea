package io.wavegraph.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** What {@link AudioDecoders} recognises, and what it refuses to guess at. */
class AudioSniffingTest {
  @Test
  void emptyInputListsTheFormats() {
    assertThatThrownBy(() -> Fixtures.open(new byte[0], "empty.mp3"))
        .isInstanceOf(AudioFormatException.class)
        .hasMessage("empty.mp3: empty file, not a WAV, FLAC, Ogg Vorbis or MP3 file");
  }

  @Test
  void randomBytesAreNeverTakenForMpegAudio() {
    Random random = new Random(7);
    for (int i = 0; i < 2000; i++) {
      byte[] junk = new byte[4096];
      random.nextBytes(junk);
      junk[0] = (byte) 0xFF; // a sync byte up front makes a false match likelier, not certain
      assertThatThrownBy(() -> Fixtures.open(junk, "junk.bin"))
          .isInstanceOf(AudioFormatException.class)
          .hasMessageStartingWith("junk.bin: not a WAV, FLAC, Ogg Vorbis or MP3 file (starts with FF ");
    }
  }

  @Test
  void oneValidMpegHeaderIsNotEnough() {
    byte[] b = Damage.randomAfter(new byte[] {(byte) 0xFF, (byte) 0xFB, (byte) 0x90, 0x64}, 2000, new Random(3));
    assertThatThrownBy(() -> Fixtures.open(b, "one-header.mp3"))
        .hasMessageStartingWith("one-header.mp3: not a WAV, FLAC, Ogg Vorbis or MP3 file (starts with FF FB 90 64");
  }

  @Test
  void mp3AfterAnId3TagAndPaddingIsFound() throws Exception {
    byte[] mp3 = Fixtures.bytes("mp3", "stereo_44k_cbr128.mp3");
    byte[] padded = new byte[10 + 100 + 500 + mp3.length];
    System.arraycopy(new byte[] {'I', 'D', '3', 3, 0, 0, 0, 0, 0, 100}, 0, padded, 0, 10);
    System.arraycopy(mp3, 0, padded, 610, mp3.length); // 500 zero bytes the tag size does not cover
    try (AudioSource s = Fixtures.open(padded, "padded.mp3")) {
      assertThat(s.sampleRate()).isEqualTo(44100);
      assertThat(s.frames()).isEqualTo(44100);
    }
  }

  @Test
  void onlyAnId3TagIsNotAudio() {
    byte[] b = {'I', 'D', '3', 3, 0, 0, 0, 0, 0, 4, 1, 2, 3, 4};
    assertThatThrownBy(() -> Fixtures.open(b, "tag.mp3"))
        .hasMessage("tag.mp3: only an ID3v2 tag, not a WAV, FLAC, Ogg Vorbis or MP3 file");
  }

  @Test
  void id3TagLongerThanTheFile() {
    byte[] b = {'I', 'D', '3', 3, 0, 0, 0, 0, 1, 0, 1, 2, 3};
    assertThatThrownBy(() -> Fixtures.open(b, "tag.mp3"))
        .hasMessage("tag.mp3: ends inside the ID3v2 tag at byte 0 (128 bytes declared)");
  }
}
