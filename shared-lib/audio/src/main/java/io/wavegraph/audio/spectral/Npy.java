package io.wavegraph.audio.spectral;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes NumPy {@code .npy} files (format version 1.0) of little-endian float32 in C order, which
 * {@code numpy.load} reads as an array of the same shape: the magic {@code \x93NUMPY}, version 1 0,
 * a 2-byte little-endian header length, then the header dict padded with spaces and a newline so
 * that the data starts at a multiple of 64 bytes. The header is byte for byte what {@code
 * numpy.save} (1.24) writes for the same shape.
 */
public final class Npy {
  private static final int GROWTH_DIGITS = 21;
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0};

  private Npy() {}

  /** Writes {@code m} as a 2-D array of shape {@code (rows, cols)}. */
  public static void write(Path file, FloatMatrix m) throws IOException {
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
      write(out, m.shape(), m.data());
    }
  }

  /** Writes {@code data} (row-major) with the given shape; the stream is not closed. */
  public static void write(OutputStream out, long[] shape, float[] data) throws IOException {
    long count = 1;
    for (long d : shape) count *= d;
    if (count != data.length) throw new IllegalArgumentException("shape holds " + count + " values, data " + data.length);
    out.write(header(shape));
    ByteBuffer b = ByteBuffer.allocate(1 << 15).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : data) {
      if (!b.hasRemaining()) {
        out.write(b.array(), 0, b.position());
        b.clear();
      }
      b.putFloat(v);
    }
    out.write(b.array(), 0, b.position());
  }

  /** The magic, version, length and padded header dict for a float32 C-order array. */
  public static byte[] header(long[] shape) {
    StringBuilder s = new StringBuilder("(");
    for (int i = 0; i < shape.length; i++) {
      s.append(i == 0 ? "" : ", ").append(shape[i]);
    }
    s.append(shape.length == 1 ? ",)" : ")");
    String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': " + s + ", }";
    // Like numpy (1.23+), leave room for the first axis to grow to 21 digits when appended to in place.
    String first = shape.length == 0 ? "" : Long.toString(shape[0]);
    dict += " ".repeat(Math.max(0, GROWTH_DIGITS - first.length()));
    int unpadded = MAGIC.length + 2 + dict.length() + 1; // + newline
    int total = (unpadded + 63) / 64 * 64;
    String padded = dict + " ".repeat(total - unpadded) + "\n";
    int len = padded.length();
    if (len > 0xFFFF) throw new IllegalArgumentException("header too long for .npy version 1.0");
    ByteBuffer b = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
    b.put(MAGIC).putShort((short) len).put(padded.getBytes(StandardCharsets.US_ASCII));
    return b.array();
  }
}
