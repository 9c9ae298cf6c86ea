package io.wavegraph.audio.mp3;

/**
 * A Xing/Info or VBRI frame: the silent first frame that encoders write to carry the frame count
 * and, in LAME's extension, the encoder delay and padding needed for gapless decoding.
 */
final class InfoFrame {
  /** Samples of delay the Layer III synthesis adds; the LAME delay excludes it (as mpg123 does). */
  static final int DECODER_DELAY = 529;

  /** Audio frames after this one, or -1 when not declared. */
  final long frames;
  /** LAME encoder delay and padding in samples, or -1 without a (checksummed) LAME tag. */
  final int delay;
  final int padding;

  private InfoFrame(long frames, int delay, int padding) {
    this.frames = frames;
    this.delay = delay;
    this.padding = padding;
  }

  /** Returns the info carried by {@code frame}, or null if it is an ordinary audio frame. */
  static InfoFrame parse(MpegHeader header, byte[] frame, int length) {
    // LAME leaves no room for the CRC in a CRC-protected Info frame, so look in both places.
    int x = 4 + (header.layer == 3 ? header.sideInfoLength() : 0);
    if (header.crc && !isXing(frame, x, length)) {
      x += 2;
    }
    if (header.layer == 3 && isXing(frame, x, length)) {
      int flags = int32(frame, x + 4);
      int p = x + 8;
      long frames = -1;
      if ((flags & 1) != 0 && p + 4 <= length) {
        frames = int32(frame, p) & 0xFFFFFFFFL;
        p += 4;
      }
      p += ((flags & 2) != 0 ? 4 : 0) + ((flags & 4) != 0 ? 100 : 0) + ((flags & 8) != 0 ? 4 : 0);
      int delay = -1;
      int padding = -1;
      if ((flags & 7) == 7 && p + 36 <= length && crc16(frame, p + 34) == u16(frame, p + 34)) {
        int d = (frame[p + 21] & 0xFF) << 16 | (frame[p + 22] & 0xFF) << 8 | (frame[p + 23] & 0xFF);
        delay = d >>> 12;
        padding = d & 0xFFF;
      }
      return new InfoFrame(frames, delay, padding);
    }
    if (36 + 18 <= length && tag(frame, 36, "VBRI")) {
      return new InfoFrame(int32(frame, 36 + 14) & 0xFFFFFFFFL, -1, -1);
    }
    return null;
  }

  private static boolean isXing(byte[] frame, int x, int length) {
    return x + 8 <= length && (tag(frame, x, "Xing") || tag(frame, x, "Info"));
  }

  /** CRC-16 (polynomial 0x8005, reflected, initial value 0) as LAME computes its tag checksum. */
  private static int crc16(byte[] b, int length) {
    int crc = 0;
    for (int i = 0; i < length; i++) {
      crc ^= b[i] & 0xFF;
      for (int k = 0; k < 8; k++) {
        crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0xA001 : crc >>> 1;
      }
    }
    return crc;
  }

  private static boolean tag(byte[] b, int off, String s) {
    for (int i = 0; i < 4; i++) {
      if (b[off + i] != s.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private static int int32(byte[] b, int off) {
    return (b[off] & 0xFF) << 24 | (b[off + 1] & 0xFF) << 16 | (b[off + 2] & 0xFF) << 8 | (b[off + 3] & 0xFF);
  }

  private static int u16(byte[] b, int off) {
    return (b[off] & 0xFF) << 8 | (b[off + 1] & 0xFF);
  }
}
