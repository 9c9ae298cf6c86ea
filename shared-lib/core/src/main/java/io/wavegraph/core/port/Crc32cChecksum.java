package io.wavegraph.core.port;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Base64;
import java.util.zip.CRC32C;

/**
 * Content checksums as Cloud Storage keeps them for every object: CRC32C (Castagnoli), written
 * {@code crc32c:<base64 of the 4 big-endian bytes>:<size>} (the base64 is Cloud Storage's own
 * {@code crc32c} field). One algorithm and one spelling everywhere, so a fingerprint recorded on
 * one machine means the same thing as one read from Cloud Storage. CRC32C runs in hardware on
 * current CPUs (several GB/s), so checksumming an output costs a small fraction of writing it;
 * the size is part of the text so two objects must also agree in length.
 */
public final class Crc32cChecksum {
  private Crc32cChecksum() {}

  /** The checksum text for a running CRC over {@code size} bytes. */
  public static String format(CRC32C crc, long size) {
    int v = (int) crc.getValue();
    byte[] b = {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    return "crc32c:" + Base64.getEncoder().encodeToString(b) + ":" + size;
  }

  /** The checksum text of Cloud Storage's base64 {@code crc32c} field and the object's size. */
  public static String ofStored(String base64, long size) {
    return "crc32c:" + base64 + ":" + size;
  }

  /** True when {@code checksum} is spelled as this class spells CRC32C checksums. */
  public static boolean isCrc32c(String checksum) {
    return checksum != null && checksum.startsWith("crc32c:");
  }

  /** The checksum of {@code bytes}. */
  public static String of(byte[] bytes) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, bytes.length);
    return format(crc, bytes.length);
  }

  /** The checksum of the file's content, in one read pass. */
  public static String of(Path file) throws IOException {
    CRC32C crc = new CRC32C();
    long size = 0;
    ByteBuffer buf = ByteBuffer.allocateDirect(1 << 16);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      while (ch.read(buf) >= 0) {
        buf.flip();
        size += buf.remaining();
        crc.update(buf);
        buf.clear();
      }
    }
    return format(crc, size);
  }
}
