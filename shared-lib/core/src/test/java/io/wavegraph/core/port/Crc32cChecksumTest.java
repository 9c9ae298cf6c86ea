package io.wavegraph.core.port;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Crc32cChecksumTest {
  @TempDir Path dir;

  @Test
  void spellsTheStandardCheckValueAsCloudStorageDoes() {
    // CRC-32C("123456789") = 0xE3069283 (RFC 3720, B.4); Cloud Storage's crc32c field is the
    // base64 of those four bytes, big-endian.
    assertThat(Crc32cChecksum.of("123456789".getBytes(StandardCharsets.US_ASCII))).isEqualTo("crc32c:4waSgw==:9");
    assertThat(Crc32cChecksum.of(new byte[0])).isEqualTo("crc32c:AAAAAA==:0");
    assertThat(Crc32cChecksum.ofStored("4waSgw==", 9)).isEqualTo("crc32c:4waSgw==:9");
  }

  @Test
  void aFileAndItsBytesGiveTheSameChecksum() throws Exception {
    byte[] data = new byte[300_001]; // more than one read buffer, not a multiple of it
    new Random(3).nextBytes(data);
    Path f = Files.write(dir.resolve("x.bin"), data);
    assertThat(Crc32cChecksum.of(f)).isEqualTo(Crc32cChecksum.of(data));
    data[12345] ^= 1;
    assertThat(Crc32cChecksum.of(data)).isNotEqualTo(Crc32cChecksum.of(f));
  }
}
