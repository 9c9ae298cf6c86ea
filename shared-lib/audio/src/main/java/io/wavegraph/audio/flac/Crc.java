package io.wavegraph.audio.flac;

/** The two checksums of RFC 9639: CRC-8 (poly 0x07) over frame headers, CRC-16 (0x8005) over frames. */
final class Crc {
  private static final int[] CRC8 = new int[256];
  private static final int[] CRC16 = new int[256];
  // Slicing by 8: TABLES[k][b] is the CRC-16 of byte b followed by k zero bytes, so eight bytes
  // cost eight independent lookups instead of a chain of eight (the CRC runs over every frame).
  private static final int[][] TABLES = new int[8][];

  static {
    for (int i = 0; i < 256; i++) {
      int c8 = i;
      int c16 = i << 8;
      for (int b = 0; b < 8; b++) {
        c8 = (c8 & 0x80) != 0 ? (c8 << 1) ^ 0x07 : c8 << 1;
        c16 = (c16 & 0x8000) != 0 ? (c16 << 1) ^ 0x8005 : c16 << 1;
      }
      CRC8[i] = c8 & 0xFF;
      CRC16[i] = c16 & 0xFFFF;
    }
    TABLES[0] = CRC16;
    for (int k = 1; k < 8; k++) {
      TABLES[k] = new int[256];
      for (int i = 0; i < 256; i++) {
        int c = TABLES[k - 1][i];
        TABLES[k][i] = ((c << 8) & 0xFFFF) ^ CRC16[c >>> 8];
      }
    }
  }

  private Crc() {}

  static int crc8(byte[] data, int from, int to) {
    int crc = 0;
    for (int i = from; i < to; i++) {
      crc = CRC8[crc ^ (data[i] & 0xFF)];
    }
    return crc;
  }

  static int crc16(byte[] data, int from, int to) {
    int[] t0 = TABLES[0], t1 = TABLES[1], t2 = TABLES[2], t3 = TABLES[3];
    int[] t4 = TABLES[4], t5 = TABLES[5], t6 = TABLES[6], t7 = TABLES[7];
    int crc = 0;
    int i = from;
    for (; i + 8 <= to; i += 8) {
      int x = crc ^ (((data[i] & 0xFF) << 8) | (data[i + 1] & 0xFF));
      crc = t7[x >>> 8] ^ t6[x & 0xFF] ^ t5[data[i + 2] & 0xFF] ^ t4[data[i + 3] & 0xFF]
          ^ t3[data[i + 4] & 0xFF] ^ t2[data[i + 5] & 0xFF] ^ t1[data[i + 6] & 0xFF] ^ t0[data[i + 7] & 0xFF];
    }
    for (; i < to; i++) {
      crc = ((crc << 8) & 0xFFFF) ^ CRC16[(crc >>> 8) ^ (data[i] & 0xFF)];
    }
    return crc;
  }
}
