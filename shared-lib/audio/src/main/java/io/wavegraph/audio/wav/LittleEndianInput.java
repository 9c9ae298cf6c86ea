package io.wavegraph.audio.wav;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/** Little-endian reads with a running byte offset, for RIFF chunk parsing. */
final class LittleEndianInput {
  private final InputStream in;
  private long position;

  LittleEndianInput(InputStream in) {
    this.in = in;
  }

  long position() {
    return position;
  }

  /** Reads up to {@code len} bytes, fewer only at the end of the stream. */
  int readFully(byte[] b, int off, int len) throws IOException {
    int n = in.readNBytes(b, off, len);
    position += n;
    return n;
  }

  void readExactly(byte[] b, int len) throws IOException {
    if (readFully(b, 0, len) < len) {
      throw new EOFException();
    }
  }

  /** Skips {@code n} bytes, returning how many were actually there. */
  long skip(long n) throws IOException {
    long done = 0;
    while (done < n) {
      long s = in.skip(n - done);
      if (s <= 0) {
        if (in.read() < 0) {
          break;
        }
        s = 1;
      }
      done += s;
    }
    position += done;
    return done;
  }

  static int u16(byte[] b, int off) {
    return (b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8;
  }

  static long u32(byte[] b, int off) {
    return (u16(b, off) | (long) u16(b, off + 2) << 16);
  }

  static long u64(byte[] b, int off) {
    return u32(b, off) | u32(b, off + 4) << 32;
  }

  static String fourCc(byte[] b, int off) {
    StringBuilder s = new StringBuilder(4);
    for (int i = off; i < off + 4; i++) {
      int c = b[i] & 0xFF;
      s.append(c >= 0x20 && c < 0x7F ? (char) c : '?');
    }
    return s.toString();
  }
}
