package io.wavegraph.audio.flac;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class CrcTest {
  /** CRC-16 (poly 0x8005, MSB first, init 0) bit by bit, as RFC 9639 defines it. */
  private static int bitwiseCrc16(byte[] d, int from, int to) {
    int crc = 0;
    for (int i = from; i < to; i++) {
      crc ^= (d[i] & 0xFF) << 8;
      for (int b = 0; b < 8; b++) {
        crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x8005 : crc << 1;
      }
      crc &= 0xFFFF;
    }
    return crc;
  }

  @Test
  void sliceByEightCrc16AgreesWithTheBitwiseDefinitionAtEveryLengthAndOffset() {
    Random r = new Random(16);
    for (int t = 0; t < 3000; t++) {
      byte[] d = new byte[r.nextInt(80)];
      r.nextBytes(d);
      int from = d.length == 0 ? 0 : r.nextInt(d.length);
      int to = from + (d.length == from ? 0 : r.nextInt(d.length - from + 1));
      assertThat(Crc.crc16(d, from, to)).as("bytes %d..%d of %d", from, to, d.length).isEqualTo(bitwiseCrc16(d, from, to));
    }
    // The check value of CRC-16/UMTS (this polynomial, init 0): "123456789" -> 0xFEE8.
    byte[] check = "123456789".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    assertThat(Crc.crc16(check, 0, check.length)).isEqualTo(0xFEE8);
  }
}
