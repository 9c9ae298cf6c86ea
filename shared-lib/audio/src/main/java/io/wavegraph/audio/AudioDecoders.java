package io.wavegraph.audio;

import io.wavegraph.audio.flac.FlacSource;
import io.wavegraph.audio.mp3.Mp3Source;
import io.wavegraph.audio.vorbis.VorbisSource;
import io.wavegraph.audio.wav.WavSource;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Opens WAV (RIFF, RF64), FLAC, Ogg Vorbis and MPEG audio (MP3) by its content, never by its file
 * name. ID3v2 tags in front of the audio are skipped. MPEG audio is recognised only by two
 * consecutive valid frame headers, at the very start or, after an ID3v2 tag, within 64 KiB of it.
 * Anything else, including Ogg Opus, FLAC and Speex, fails with an {@link AudioFormatException}
 * that names the input and says what was found.
 */
public final class AudioDecoders {
  private static final int MPEG_SYNC_WINDOW = 64 * 1024;
  private static final int MAX_MPEG_FRAME = 2881;

  private AudioDecoders() {}

  /** Opens a file; the returned source owns the file handle. */
  public static AudioSource open(Path file) throws IOException {
    long length = Files.size(file);
    InputStream in = Files.newInputStream(file);
    try {
      return open(in, file.toString(), length);
    } catch (IOException | RuntimeException e) {
      in.close();
      throw e;
    }
  }

  /**
   * Opens a stream; {@code name} is used in error messages. The returned source closes the stream.
   * A stream's length is unknown, so a truncated WAV data chunk is reported when the read reaches
   * the end rather than at open.
   */
  public static AudioSource open(InputStream in, String name) throws IOException {
    return open(in, name, -1);
  }

  private static AudioSource open(InputStream raw, String name, long length) throws IOException {
    BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
    long offset = 0;
    boolean tagged = false;
    while (true) { // ID3v2 tags (sometimes more than one) in front of the audio
      in.mark(10);
      byte[] id3 = in.readNBytes(10);
      if (id3.length < 10 || id3[0] != 'I' || id3[1] != 'D' || id3[2] != '3' || (id3[6] | id3[7] | id3[8] | id3[9]) < 0) {
        in.reset();
        break;
      }
      // 10-byte header, then a 28-bit "synchsafe" size, plus a footer if flagged.
      long size = (id3[6] & 0x7F) << 21 | (id3[7] & 0x7F) << 14 | (id3[8] & 0x7F) << 7 | (id3[9] & 0x7F);
      size += (id3[5] & 0x10) != 0 ? 10 : 0;
      if (!skip(in, size)) {
        throw new AudioFormatException(name, "ends inside the ID3v2 tag at byte " + offset + " (" + size + " bytes declared)");
      }
      offset += 10 + size;
      tagged = true;
    }
    // Without a tag an MP3 must start with a frame; after one, encoders may leave padding.
    int mp3Window = tagged ? MPEG_SYNC_WINDOW : 1;
    int probe = mp3Window + 2 * MAX_MPEG_FRAME + 4;
    in.mark(probe);
    byte[] head = in.readNBytes(probe);
    in.reset();
    int n = head.length;
    if (n >= 12 && is(head, 8, "WAVE") && (is(head, 0, "RIFF") || is(head, 0, "RF64"))) {
      return WavSource.open(in, name, length);
    }
    if (n >= 4 && is(head, 0, "fLaC")) {
      return FlacSource.open(in, name);
    }
    if (n >= 4 && is(head, 0, "OggS")) {
      String codec = n >= 27 && n >= 27 + (head[26] & 0xFF) + 8
          ? VorbisSource.codecOf(head, 27 + (head[26] & 0xFF), n - 27 - (head[26] & 0xFF))
          : null;
      if (codec != null && !codec.equals("Vorbis") && !codec.equals("Theora") && !codec.equals("Skeleton")) {
        throw new AudioFormatException(name, "unsupported: Ogg " + codec + " (of Ogg formats only Vorbis is decoded)");
      }
      return VorbisSource.open(in, name);
    }
    if (Mp3Source.syncOffset(head, n, mp3Window) >= 0) {
      return Mp3Source.open(in, name, offset);
    }
    String formats = "not a WAV, FLAC, Ogg Vorbis or MP3 file";
    if (n == 0) {
      throw new AudioFormatException(name, tagged ? "only an ID3v2 tag, " + formats : "empty file, " + formats);
    }
    throw new AudioFormatException(
        name, formats + " (" + (tagged ? "after its ID3v2 tag, " : "") + "starts with " + hex(head, 12) + ")");
  }

  private static boolean skip(InputStream in, long n) throws IOException {
    while (n > 0) {
      long s = in.skip(n);
      if (s <= 0) {
        if (in.read() < 0) {
          return false;
        }
        s = 1;
      }
      n -= s;
    }
    return true;
  }

  private static boolean is(byte[] b, int off, String tag) {
    for (int i = 0; i < 4; i++) {
      if (b[off + i] != tag.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private static String hex(byte[] b, int max) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < Math.min(max, b.length); i++) {
      s.append(s.length() == 0 ? "" : " ").append(String.format("%02X", b[i] & 0xFF));
    }
    return s.toString();
  }
}
