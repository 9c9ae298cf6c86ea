package io.wavegraph.audio.flac;

import java.io.ByteArrayOutputStream;

/** MSB-first bit writer for building FLAC streams in tests. */
final class BitSink {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private long acc;
  private int bits;

  void write(long value, int n) {
    for (int i = n - 1; i >= 0; i--) {
      acc = (acc << 1) | ((value >>> i) & 1);
      if (++bits == 8) {
        out.write((int) acc);
        acc = 0;
        bits = 0;
      }
    }
  }

  void unary(long zeros) {
    for (long i = 0; i < zeros; i++) {
      write(0, 1);
    }
    write(1, 1);
  }

  void align() {
    while (bits != 0) {
      write(0, 1);
    }
  }

  int size() {
    return out.size();
  }

  byte[] bytes() {
    return out.toByteArray();
  }
}
