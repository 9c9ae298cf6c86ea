package io.wavegraph.audio.vorbis;

import java.util.ArrayList;
import java.util.List;

/** Walks the pages of an Ogg file in tests, and re-stamps their CRCs after a body was changed. */
final class OggPages {
  private OggPages() {}

  /** Offsets of page starts, then the end of the last page. */
  static int[] starts(byte[] b) {
    List<Integer> at = new ArrayList<>();
    int p = 0;
    while (p + 27 <= b.length && b[p] == 'O' && b[p + 1] == 'g' && b[p + 2] == 'g' && b[p + 3] == 'S') {
      at.add(p);
      p += length(b, p);
    }
    at.add(p);
    return at.stream().mapToInt(Integer::intValue).toArray();
  }

  static int headerLength(byte[] b, int page) {
    return 27 + (b[page + 26] & 0xFF);
  }

  static int length(byte[] b, int page) {
    int n = headerLength(b, page);
    for (int i = 0; i < (b[page + 26] & 0xFF); i++) {
      n += b[page + 27 + i] & 0xFF;
    }
    return n;
  }

  /** Recomputes every page's CRC-32 in place, so that changed bodies reach the Vorbis decoder. */
  static byte[] restamp(byte[] b) {
    int[] at = starts(b);
    for (int i = 0; i + 1 < at.length; i++) {
      int p = at[i];
      for (int k = 22; k < 26; k++) {
        b[p + k] = 0;
      }
      int crc = crc(b, p, length(b, p));
      for (int k = 0; k < 4; k++) {
        b[p + 22 + k] = (byte) (crc >>> (8 * k));
      }
    }
    return b;
  }

  /** Ogg's CRC-32: polynomial 0x04C11DB7, not reflected, initial value 0, no final xor. */
  private static int crc(byte[] b, int off, int len) {
    int crc = 0;
    for (int i = off; i < off + len; i++) {
      crc ^= (b[i] & 0xFF) << 24;
      for (int k = 0; k < 8; k++) {
        crc = crc < 0 ? (crc << 1) ^ 0x04C11DB7 : crc << 1;
      }
    }
    return crc;
  }
}
