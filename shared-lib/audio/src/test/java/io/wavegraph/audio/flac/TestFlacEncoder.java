package io.wavegraph.audio.flac;

import java.io.ByteArrayOutputStream;

/**
 * A deliberately naive FLAC encoder for tests: it writes exactly the subframe kinds, stereo modes,
 * block sizes and residual codings it is told to, including ones the reference encoder never emits
 * (variable block size, escaped partitions, 33-bit side channels).
 */
final class TestFlacEncoder {
  /** How to code one channel of one frame. */
  record Sub(Kind kind, int wasted, int order, long[] coefs, int precision, int shift,
      int method, int partitionOrder, boolean escape) {
    static Sub constant() {
      return new Sub(Kind.CONSTANT, 0, 0, null, 0, 0, 0, 0, false);
    }

    static Sub verbatim(int wasted) {
      return new Sub(Kind.VERBATIM, wasted, 0, null, 0, 0, 0, 0, false);
    }

    static Sub fixed(int order, int method, int partitionOrder, boolean escape) {
      return new Sub(Kind.FIXED, 0, order, null, 0, 0, method, partitionOrder, escape);
    }

    static Sub lpc(long[] coefs, int precision, int shift, int method, int partitionOrder, boolean escape) {
      return new Sub(Kind.LPC, 0, coefs.length, coefs, precision, shift, method, partitionOrder, escape);
    }

    Sub withWasted(int w) {
      return new Sub(kind, w, order, coefs, precision, shift, method, partitionOrder, escape);
    }
  }

  enum Kind { CONSTANT, VERBATIM, FIXED, LPC }

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final int bps;
  private final int channels;
  private long frameNumber;
  private long sampleNumber;

  TestFlacEncoder(int rate, int channels, int bps, long totalSamples, int maxBlock) {
    this.bps = bps;
    this.channels = channels;
    BitSink h = new BitSink();
    h.write(0x664C6143L, 32);
    h.write(0, 1); // STREAMINFO, not last
    h.write(0, 7);
    h.write(34, 24);
    h.write(1, 16);
    h.write(maxBlock, 16);
    h.write(0, 24);
    h.write(0, 24);
    h.write(rate, 20);
    h.write(channels - 1, 3);
    h.write(bps - 1, 5);
    h.write(totalSamples, 36);
    h.write(0, 64); // no MD5
    h.write(0, 64);
    h.write(0, 1); // APPLICATION block, skipped by the decoder
    h.write(2, 7);
    h.write(7, 24);
    h.write(0x74657374L, 32);
    h.write(0xABCDEF, 24);
    h.write(1, 1); // PADDING, last
    h.write(1, 7);
    h.write(5, 24);
    h.write(0, 40);
    out.writeBytes(h.bytes());
  }

  /**
   * Appends a frame. {@code coded} holds the channels as coded (side channel already formed),
   * {@code channelCode} is the RFC 9639 channel assignment.
   */
  void frame(long[][] coded, int n, int channelCode, boolean variable, Sub... subs) {
    BitSink f = new BitSink();
    f.write(0x7FFC, 15);
    f.write(variable ? 1 : 0, 1);
    int blockCode = n == 192 ? 1 : n == 4096 ? 12 : n <= 256 ? 6 : 7;
    f.write(blockCode, 4);
    f.write(0, 4); // sample rate from STREAMINFO
    f.write(channelCode, 4);
    f.write(sizeCode(), 3);
    f.write(0, 1);
    codedNumber(f, variable ? sampleNumber : frameNumber);
    if (blockCode == 6) {
      f.write(n - 1, 8);
    } else if (blockCode == 7) {
      f.write(n - 1, 16);
    }
    byte[] header = f.bytes();
    f.write(crc8(header), 8);
    for (int ch = 0; ch < channels; ch++) {
      boolean side = (channelCode == 8 && ch == 1) || (channelCode == 9 && ch == 0) || (channelCode == 10 && ch == 1);
      subframe(f, coded[ch], n, side ? bps + 1 : bps, subs[ch]);
    }
    f.align();
    byte[] body = f.bytes();
    f.write(Crc.crc16(body, 0, body.length), 16);
    out.writeBytes(f.bytes());
    frameNumber++;
    sampleNumber += n;
  }

  private int sizeCode() {
    return switch (bps) {
      case 8 -> 1;
      case 12 -> 2;
      case 16 -> 4;
      case 20 -> 5;
      case 24 -> 6;
      case 32 -> 7;
      default -> 0;
    };
  }

  private static int crc8(byte[] b) {
    return Crc.crc8(b, 0, b.length);
  }

  private static void codedNumber(BitSink f, long v) {
    if (v < 0x80) {
      f.write(v, 8);
      return;
    }
    int n = 2;
    while (v >= 1L << (5 * n + 1)) {
      n++;
    }
    f.write(((0xFF00 >> n) & 0xFF) | (v >>> (6 * (n - 1))), 8);
    for (int i = n - 2; i >= 0; i--) {
      f.write(0x80 | ((v >>> (6 * i)) & 0x3F), 8);
    }
  }

  private static void subframe(BitSink f, long[] s, int n, int bps, Sub sub) {
    int w = sub.wasted();
    int width = bps - w;
    f.write(0, 1);
    int type = switch (sub.kind()) {
      case CONSTANT -> 0;
      case VERBATIM -> 1;
      case FIXED -> 8 + sub.order();
      case LPC -> 31 + sub.order();
    };
    f.write(type, 6);
    if (w > 0) {
      f.write(1, 1);
      f.unary(w - 1);
    } else {
      f.write(0, 1);
    }
    long[] v = new long[n];
    for (int i = 0; i < n; i++) {
      v[i] = s[i] >> w;
    }
    switch (sub.kind()) {
      case CONSTANT -> f.write(v[0], width);
      case VERBATIM -> {
        for (int i = 0; i < n; i++) {
          f.write(v[i], width);
        }
      }
      case FIXED -> {
        for (int i = 0; i < sub.order(); i++) {
          f.write(v[i], width);
        }
        residual(f, fixedResidual(v, n, sub.order()), n, sub);
      }
      case LPC -> {
        for (int i = 0; i < sub.order(); i++) {
          f.write(v[i], width);
        }
        f.write(sub.precision() - 1, 4);
        f.write(sub.shift(), 5);
        for (long c : sub.coefs()) {
          f.write(c, sub.precision());
        }
        long[] r = new long[n];
        for (int i = sub.order(); i < n; i++) {
          long sum = 0;
          for (int j = 0; j < sub.order(); j++) {
            sum += sub.coefs()[j] * v[i - 1 - j];
          }
          r[i] = v[i] - (sum >> sub.shift());
        }
        residual(f, r, n, sub);
      }
    }
  }

  private static long[] fixedResidual(long[] v, int n, int order) {
    long[] r = new long[n];
    for (int i = order; i < n; i++) {
      long p = switch (order) {
        case 0 -> 0;
        case 1 -> v[i - 1];
        case 2 -> 2 * v[i - 1] - v[i - 2];
        case 3 -> 3 * v[i - 1] - 3 * v[i - 2] + v[i - 3];
        default -> 4 * v[i - 1] - 6 * v[i - 2] + 4 * v[i - 3] - v[i - 4];
      };
      r[i] = v[i] - p;
    }
    return r;
  }

  private static void residual(BitSink f, long[] r, int n, Sub sub) {
    int method = sub.method();
    f.write(method, 2);
    f.write(sub.partitionOrder(), 4);
    int parts = 1 << sub.partitionOrder();
    int size = n >> sub.partitionOrder();
    int maxK = method == 0 ? 14 : 30;
    for (int p = 0; p < parts; p++) {
      int from = p == 0 ? sub.order() : p * size;
      int to = (p + 1) * size;
      if (sub.escape() && p % 2 == 0) {
        int width = 0;
        for (int i = from; i < to; i++) {
          width = Math.max(width, 65 - Long.numberOfLeadingZeros(r[i] ^ (r[i] >> 63)));
        }
        boolean allZero = true;
        for (int i = from; i < to; i++) {
          allZero &= r[i] == 0;
        }
        width = allZero ? 0 : width;
        f.write(method == 0 ? 15 : 31, method == 0 ? 4 : 5);
        f.write(width, 5);
        for (int i = from; i < to && width > 0; i++) {
          f.write(r[i], width);
        }
        continue;
      }
      double mean = 0;
      for (int i = from; i < to; i++) {
        mean += Math.abs(r[i]);
      }
      mean = to > from ? mean / (to - from) : 0;
      int k = mean < 1 ? 0 : Math.min(maxK, 63 - Long.numberOfLeadingZeros((long) mean));
      f.write(k, method == 0 ? 4 : 5);
      for (int i = from; i < to; i++) {
        long u = (r[i] << 1) ^ (r[i] >> 63);
        f.unary(u >>> k);
        f.write(u & ((1L << k) - 1), k);
      }
    }
  }

  byte[] bytes() {
    return out.toByteArray();
  }
}
