package io.wavegraph.audio.flac;

import static org.assertj.core.api.Assertions.assertThat;

import io.wavegraph.audio.flac.TestFlacEncoder.Sub;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Streams built by {@link TestFlacEncoder} exercise the coding tools the reference encoder does
 * not emit: variable block sizes, escaped partitions, 33-bit side channels, LPC order 32.
 */
class FlacCodingToolsTest {

  /** A bounded random walk: predictable enough for small residuals, covering the full range. */
  private static long[] signal(Random r, int n, int bps) {
    long max = (1L << (bps - 1)) - 1;
    long[] s = new long[n];
    long v = 0;
    long step = Math.max(1, max / 64);
    for (int i = 0; i < n; i++) {
      v += (long) (r.nextGaussian() * step);
      v = Math.max(-max - 1, Math.min(max, v));
      s[i] = v;
    }
    return s;
  }

  private static List<long[]> decode(byte[] flac) throws Exception {
    FlacSource src = FlacSource.open(new ByteArrayInputStream(flac), "t.flac");
    List<long[]> out = new ArrayList<>();
    for (int ch = 0; ch < src.channels(); ch++) {
      out.add(new long[0]);
    }
    while (src.nextBlock()) {
      for (int ch = 0; ch < src.channels(); ch++) {
        long[] prev = out.get(ch);
        long[] next = java.util.Arrays.copyOf(prev, prev.length + src.blockSize());
        System.arraycopy(src.blockSamples()[ch], 0, next, prev.length, src.blockSize());
        out.set(ch, next);
      }
    }
    return out;
  }

  /** Like isEqualTo, but reports the first difference instead of printing both arrays. */
  private static void assertSameSamples(long[] expected, long[] actual) {
    assertThat(actual.length).isEqualTo(expected.length);
    int at = java.util.Arrays.mismatch(expected, actual);
    assertThat(at).as("first mismatch at %d", at).isEqualTo(-1);
  }

  private static long[] slice(long[] s, int from, int n) {
    return java.util.Arrays.copyOfRange(s, from, from + n);
  }

  @ParameterizedTest
  @ValueSource(ints = {4, 8, 12, 16, 20, 24, 32})
  void variableBlockSizesWithEverySubframeKind(int bps) throws Exception {
    Random r = new Random(bps);
    int[] sizes = {17, 192, 1000, 4096, 1, 333, 16, 65535, 250};
    int total = 0;
    for (int n : sizes) {
      total += n;
    }
    long[] left = signal(r, total, bps);
    long[] right = signal(r, total, bps);
    TestFlacEncoder enc = new TestFlacEncoder(44100, 2, bps, total, 65535);
    int at = 0;
    int i = 0;
    for (int n : sizes) {
      long[] l = slice(left, at, n);
      long[] rt = slice(right, at, n);
      int order = Math.min(4, n);
      Sub[] kinds = {
        Sub.verbatim(0),
        Sub.fixed(order, bps > 16 ? 1 : i % 2, 0, false),
        Sub.fixed(Math.min(i % 5, n), 1, n % 2 == 0 && n >= 16 ? 1 : 0, true),
        Sub.lpc(new long[] {1 << 10}, 12, 10, bps > 16 ? 1 : 0, 0, false),
      };
      if (i == 3) { // a constant block
        java.util.Arrays.fill(l, l[0]);
        System.arraycopy(l, 0, left, at, n);
        enc.frame(new long[][] {l, rt}, n, 1, true, Sub.constant(), kinds[i % 4]);
      } else {
        enc.frame(new long[][] {l, rt}, n, 1, true, kinds[i % 4], kinds[(i + 1) % 4]);
      }
      at += n;
      i++;
    }
    List<long[]> got = decode(enc.bytes());
    assertSameSamples(left, got.get(0));
    assertSameSamples(right, got.get(1));
  }

  @ParameterizedTest
  @ValueSource(ints = {8, 9, 10})
  void stereoDecorrelationIncluding33BitSide(int channelCode) throws Exception {
    Random r = new Random(channelCode);
    int n = 4096;
    long max = Integer.MAX_VALUE;
    long[] left = new long[n];
    long[] right = new long[n];
    for (int i = 0; i < n; i++) { // opposite full-scale extremes need a 33-bit side channel
      left[i] = i % 3 == 0 ? max : r.nextInt();
      right[i] = i % 3 == 0 ? -max - 1 : r.nextInt();
    }
    long[] side = new long[n];
    long[] mid = new long[n];
    for (int i = 0; i < n; i++) {
      side[i] = left[i] - right[i];
      mid[i] = (left[i] + right[i]) >> 1;
    }
    long[][] coded = switch (channelCode) {
      case 8 -> new long[][] {left, side};
      case 9 -> new long[][] {side, right};
      default -> new long[][] {mid, side};
    };
    TestFlacEncoder enc = new TestFlacEncoder(48000, 2, 32, n, 4096);
    enc.frame(coded, n, channelCode, false, Sub.verbatim(0), Sub.verbatim(0));
    List<long[]> got = decode(enc.bytes());
    assertSameSamples(left, got.get(0));
    assertSameSamples(right, got.get(1));
  }

  @Test
  void midSideWithPredictionAndRice2() throws Exception {
    Random r = new Random(7);
    int n = 4096;
    long[] left = signal(r, n, 24);
    long[] right = signal(r, n, 24);
    long[] mid = new long[n];
    long[] side = new long[n];
    for (int i = 0; i < n; i++) {
      side[i] = left[i] - right[i];
      mid[i] = (left[i] + right[i]) >> 1;
    }
    TestFlacEncoder enc = new TestFlacEncoder(96000, 2, 24, n, 4096);
    enc.frame(new long[][] {mid, side}, n, 10, false, Sub.fixed(2, 1, 3, false), Sub.fixed(1, 1, 2, true));
    List<long[]> got = decode(enc.bytes());
    assertSameSamples(left, got.get(0));
    assertSameSamples(right, got.get(1));
  }

  @Test
  void lpcOrder32AndHighPrecisionCoefficients() throws Exception {
    Random r = new Random(32);
    int n = 4608;
    long[] s = signal(r, n, 16);
    long[] coefs = new long[32];
    coefs[0] = 1 << 13; // predicts the previous sample; the rest are small perturbations
    for (int j = 1; j < 32; j++) {
      coefs[j] = r.nextInt(200) - 100;
    }
    for (int shift : new int[] {13, 14}) {
      TestFlacEncoder enc = new TestFlacEncoder(44100, 1, 16, n, n);
      enc.frame(new long[][] {s}, n, 0, false, Sub.lpc(coefs, 16 - 1, shift, 1, 4, false));
      assertSameSamples(s, decode(enc.bytes()).get(0));
    }
    TestFlacEncoder enc = new TestFlacEncoder(44100, 1, 16, n, n);
    enc.frame(new long[][] {s}, n, 0, false, Sub.lpc(coefs, 15, 13, 0, 5, true));
    assertSameSamples(s, decode(enc.bytes()).get(0));
  }

  @Test
  void everyUnrolledLpcOrderAndTheGenericOneRestoreExactly() throws Exception {
    // Orders 1..12 have their own unrolled loops; 13 takes the generic one.
    Random r = new Random(12);
    int n = 2048;
    long[] s = signal(r, n, 24);
    for (int order = 1; order <= 13; order++) {
      long[] coefs = new long[order];
      coefs[0] = 1 << 12;
      for (int j = 1; j < order; j++) {
        coefs[j] = r.nextInt(400) - 200;
      }
      TestFlacEncoder enc = new TestFlacEncoder(48000, 1, 24, n, n);
      enc.frame(new long[][] {s}, n, 0, false, Sub.lpc(coefs, 15, 12, 1, 3, false));
      int at = java.util.Arrays.mismatch(s, decode(enc.bytes()).get(0));
      assertThat(at).as("LPC order %d: first mismatch at %d", order, at).isEqualTo(-1);
    }
  }

  @Test
  void wastedBitsOnEveryKind() throws Exception {
    Random r = new Random(3);
    int n = 1152;
    long[] s = signal(r, n, 24);
    for (int i = 0; i < n; i++) {
      s[i] &= ~0xFFL; // 8 wasted bits
    }
    for (Sub sub : new Sub[] {Sub.verbatim(8), Sub.fixed(3, 0, 2, false).withWasted(5),
        Sub.lpc(new long[] {2, -1}, 4, 0, 0, 0, true).withWasted(8)}) {
      TestFlacEncoder enc = new TestFlacEncoder(48000, 1, 24, n, n);
      enc.frame(new long[][] {s}, n, 0, false, sub);
      assertSameSamples(s, decode(enc.bytes()).get(0));
    }
    long[] c = new long[n];
    java.util.Arrays.fill(c, -4096);
    TestFlacEncoder enc = new TestFlacEncoder(48000, 1, 24, n, n);
    enc.frame(new long[][] {c}, n, 0, false, Sub.constant().withWasted(12));
    assertSameSamples(c, decode(enc.bytes()).get(0));
  }

  @Test
  void unknownTotalLengthDecodesToEndOfStream() throws Exception {
    Random r = new Random(5);
    long[] s = signal(r, 3000, 16);
    TestFlacEncoder enc = new TestFlacEncoder(8000, 1, 16, 0, 1000);
    for (int at = 0; at < 3000; at += 1000) {
      enc.frame(new long[][] {slice(s, at, 1000)}, 1000, 0, false, Sub.fixed(2, 0, 0, false));
    }
    FlacSource src = FlacSource.open(new ByteArrayInputStream(enc.bytes()), "t.flac");
    assertThat(src.frames()).isEqualTo(-1);
    assertSameSamples(s, decode(enc.bytes()).get(0));
  }
}
