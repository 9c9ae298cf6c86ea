package io.wavegraph.audio;

import io.wavegraph.audio.flac.FlacSource;
import io.wavegraph.audio.wav.WavSource;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Opens WAV (RIFF, RF64) and FLAC audio by its content, never by its file name. An ID3v2 tag in
 * front of a FLAC stream is skipped. Anything else fails with an {@link AudioFormatException} that
 * names the input and shows its first bytes.
 */
public final class AudioDecoders {
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

  private static AudioSource open(InputStream in, String name, long length) throws IOException {
    byte[] head = in.readNBytes(12);
    if (head.length >= 10 && head[0] == 'I' && head[1] == 'D' && head[2] == '3') {
      // ID3v2: 10-byte header, then a 28-bit "synchsafe" size, plus a footer if flagged.
      long size = (head[6] & 0x7F) << 21 | (head[7] & 0x7F) << 14 | (head[8] & 0x7F) << 7 | (head[9] & 0x7F);
      size += (head[5] & 0x10) != 0 ? 10 : 0;
      if (skip(in, size - (head.length - 10))) {
        head = in.readNBytes(12);
      }
    }
    InputStream whole = new SequenceInputStream(new ByteArrayInputStream(head), in);
    if (head.length >= 12 && is(head, 8, "WAVE") && (is(head, 0, "RIFF") || is(head, 0, "RF64"))) {
      return WavSource.open(whole, name, length);
    }
    if (head.length >= 4 && is(head, 0, "fLaC")) {
      return FlacSource.open(whole, name);
    }
    throw new AudioFormatException(
        name,
        head.length == 0 ? "empty file, not a WAV or FLAC file" : "not a WAV or FLAC file (starts with " + hex(head) + ")");
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

  private static String hex(byte[] b) {
    StringBuilder s = new StringBuilder();
    for (byte x : b) {
      s.append(s.length() == 0 ? "" : " ").append(String.format("%02X", x & 0xFF));
    }
    return s.toString();
  }
}
