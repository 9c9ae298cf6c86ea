package io.wavegraph.audio.flac;

import io.wavegraph.audio.AudioFormatException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * MSB-first bit reader over a growable byte buffer. Bits are served from a 64-bit cache so that
 * most reads touch neither the stream nor the buffer. A mark pins the start of the current frame
 * in the buffer so that its CRCs can be computed over the raw bytes after decoding.
 */
final class BitReader {
  // A verbatim frame of 65535 samples x 8 channels x 33 bits is ~2.2 MB; poorly coded residuals can be larger, but not 16 MB.
  private static final int MAX_BUFFER = 16 << 20;
  private static final VarHandle BIG_ENDIAN_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private final InputStream in;
  private final String name;
  private byte[] buf = new byte[1 << 16];
  private int pos; // next byte to move into the cache
  private int limit; // bytes valid in buf
  private long bufOffset; // stream offset of buf[0]
  private int mark = -1;
  private long cache; // the low cacheBits bits are unread
  private int cacheBits;

  BitReader(InputStream in, String name) {
    this.in = in;
    this.name = name;
  }

  /** Tops the cache up to at least 56 bits, or as many as the stream still has. */
  private void fill() throws IOException {
    if (pos + 8 <= limit) {
      // Whole bytes that fit, from one big-endian 8-byte load: residual decoding refills often,
      // and a byte at a time was the decoder's largest cost.
      int bytes = (63 - cacheBits) >> 3; // 1..7, so the shift below stays under 64
      long word = (long) BIG_ENDIAN_LONG.get(buf, pos);
      cache = (cache << (bytes << 3)) | (word >>> (64 - (bytes << 3)));
      cacheBits += bytes << 3;
      pos += bytes;
      return;
    }
    while (cacheBits < 56) {
      if (pos >= limit && !refill()) {
        return;
      }
      cache = (cache << 8) | (buf[pos++] & 0xFF);
      cacheBits += 8;
    }
  }

  private boolean refill() throws IOException {
    int keep = mark >= 0 ? mark : pos;
    if (keep > 0) {
      System.arraycopy(buf, keep, buf, 0, limit - keep);
      limit -= keep;
      pos -= keep;
      bufOffset += keep;
      if (mark >= 0) {
        mark = 0;
      }
    }
    if (limit == buf.length) {
      if (buf.length >= MAX_BUFFER) {
        throw new AudioFormatException(
            name, "frame at byte " + bufOffset + " is larger than " + MAX_BUFFER + " bytes");
      }
      buf = Arrays.copyOf(buf, buf.length * 2);
    }
    int n = in.read(buf, limit, buf.length - limit);
    if (n <= 0) {
      return false;
    }
    limit += n;
    return true;
  }

  /** Reads {@code n} bits (0..56) as an unsigned value. */
  long readBits(int n) throws IOException {
    if (cacheBits < n) {
      fill();
      if (cacheBits < n) {
        throw new EOFException();
      }
    }
    cacheBits -= n;
    return (cache >>> cacheBits) & ((1L << n) - 1);
  }

  int readInt(int n) throws IOException {
    return (int) readBits(n);
  }

  /** Reads {@code n} bits (1..56) as a two's complement value. */
  long readSigned(int n) throws IOException {
    long v = readBits(n);
    return (v << (64 - n)) >> (64 - n);
  }

  /**
   * Counts zero bits up to and including the next one bit, returning the number of zeros.
   *
   * @param max the largest count the caller accepts; exceeding it returns {@code max + 1} early so
   *     a corrupt run of zeros cannot consume the rest of the stream
   */
  long readUnary(long max) throws IOException {
    long zeros = 0;
    while (true) {
      if (cacheBits == 0) {
        fill();
        if (cacheBits == 0) {
          throw new EOFException();
        }
      }
      long unread = cache & ((1L << cacheBits) - 1);
      if (unread == 0) {
        zeros += cacheBits;
        cacheBits = 0;
        if (zeros > max) {
          return max + 1;
        }
        continue;
      }
      int top = 63 - Long.numberOfLeadingZeros(unread);
      zeros += cacheBits - 1 - top;
      cacheBits = top;
      return zeros;
    }
  }

  /**
   * Decodes {@code count} Rice-coded residuals with parameter {@code k} into {@code out}.
   *
   * @return false if a quotient is implausibly large (corrupt data)
   */
  boolean readRice(long[] out, int from, int count, int k) throws IOException {
    long maxQuotient = (1L << (34 - k)); // residuals are at most 33 bits wide
    long lowMask = (1L << k) - 1;
    for (int i = from, end = from + count; i < end; i++) {
      long q;
      long unread = cacheBits == 0 ? 0 : cache & ((1L << cacheBits) - 1);
      if (unread != 0) { // fast path: the terminating one bit is already cached
        int top = 63 - Long.numberOfLeadingZeros(unread);
        q = cacheBits - 1 - top;
        cacheBits = top;
      } else {
        q = readUnary(maxQuotient);
        if (q > maxQuotient) {
          return false;
        }
      }
      if (cacheBits < k) {
        fill();
        if (cacheBits < k) {
          throw new EOFException();
        }
      }
      cacheBits -= k;
      long u = (q << k) | ((cache >>> cacheBits) & lowMask);
      out[i] = (u >>> 1) ^ -(u & 1);
    }
    return true;
  }

  /** Drops bits up to the next byte boundary. */
  void alignToByte() {
    cacheBits -= cacheBits & 7;
  }

  boolean isByteAligned() {
    return (cacheBits & 7) == 0;
  }

  /** Stream offset of the next unread byte; only meaningful when byte aligned. */
  long bytePosition() {
    return bufOffset + pos - (cacheBits >> 3);
  }

  /** True if at least one more byte can be read. */
  boolean hasMore() throws IOException {
    return cacheBits > 0 || pos < limit || refill();
  }

  /** Pins the current (byte-aligned) position so CRCs can be taken from it. */
  void mark() {
    mark = pos - (cacheBits >> 3);
  }

  void clearMark() {
    mark = -1;
  }

  int crc8SinceMark() {
    return Crc.crc8(buf, mark, pos - (cacheBits >> 3));
  }

  int crc16SinceMark() {
    return Crc.crc16(buf, mark, pos - (cacheBits >> 3));
  }

  /** Skips {@code n} bytes from a byte-aligned position. */
  void skipBytes(long n) throws IOException {
    while (n > 0 && cacheBits > 0) {
      cacheBits -= 8;
      n--;
    }
    while (n > 0) {
      if (pos >= limit && !refill()) {
        throw new EOFException();
      }
      int step = (int) Math.min(n, limit - pos);
      pos += step;
      n -= step;
    }
  }
}
