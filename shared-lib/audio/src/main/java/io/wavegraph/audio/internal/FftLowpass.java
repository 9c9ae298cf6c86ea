package io.wavegraph.audio.internal;

import java.util.Arrays;

/**
 * A long linear-phase FIR applied by FFT (overlap-save), streaming, for any number of
 * interleaved channels, optionally keeping only every {@code D}-th output. Two channels share one
 * complex transform (one as the real part, one as the imaginary part: the filter is real, so
 * they do not mix). Decimation happens in the frequency domain: the filtered spectrum is folded
 * into {@code size / D} bins and transformed back at that size, which is exact and costs a
 * smaller inverse transform. The filter's delay is removed: output frame {@code n} is the
 * filtered signal at input frame {@code n D}, and after {@link #finish} exactly {@code
 * ceil(in / D)} frames came out.
 */
public final class FftLowpass {
  /**
   * What depends only on the kernel and the decimation: the transforms and the kernel's spectrum.
   * Immutable, so one design serves every stream (items and threads) that uses the same filter.
   */
  public static final class Design {
    final int taps;
    final int decimation;
    final int block;
    final Fft fft;
    final Fft inverse;
    final double[] hRe;
    final double[] hIm;

    /**
     * @param kernel an odd-length symmetric impulse response whose length minus one is a multiple
     *     of {@code 2 * decimation}
     * @param decimation keep every {@code decimation}-th output: 1, 2, 4, ...
     */
    public Design(double[] kernel, int decimation) {
      if (Integer.bitCount(decimation) != 1) throw new IllegalArgumentException("decimation must be a power of two");
      if ((kernel.length - 1) % (2 * decimation) != 0) {
        throw new IllegalArgumentException("kernel length - 1 must be a multiple of " + 2 * decimation);
      }
      this.taps = kernel.length;
      this.decimation = decimation;
      int size = Integer.highestOneBit(Math.max(1024, 4 * taps - 1)) * 2;
      this.fft = Fft.of(size);
      this.inverse = Fft.of(size / decimation);
      this.block = size - taps + 1;
      hRe = new double[size];
      hIm = new double[size];
      // Scaled by 1/size here so the unnormalised inverse transform comes out right.
      for (int i = 0; i < taps; i++) hRe[i] = kernel[i] / size;
      fft.transform(hRe, hIm, false);
      // Kept in bit-reversed order: the blocks' spectra come out of the transform that way.
      fft.permute(hRe, hIm);
    }
  }

  private final int channels;
  private final int lanes;
  private final int taps;
  private final int decimation;
  private final int block;
  private final Fft fft;
  private final Fft inverse;
  private final double[] hRe;
  private final double[] hIm;
  private final double[][] re;
  private final double[][] im;
  private final double[] wr;
  private final double[] wi;
  private final double[] zr;
  private final double[] zi;
  private final int delay; // in output frames
  // One channel: two consecutive blocks share a transform (one as the real part, one as the
  // imaginary part), as two channels do; else half of every transform would carry zeros.
  private final double[] mono; // the last taps-1 inputs, then up to two blocks
  private int fill; // new samples in the current block
  private long in;
  private long out;
  private long skipped;

  /** As {@code new FftLowpass(new Design(kernel, decimation), channels)}. */
  public FftLowpass(double[] kernel, int channels, int decimation) {
    this(new Design(kernel, decimation), channels);
  }

  /** A stream of {@code channels} interleaved channels through a shared {@link Design}. */
  public FftLowpass(Design design, int channels) {
    this.channels = channels;
    this.lanes = (channels + 1) / 2;
    this.taps = design.taps;
    this.decimation = design.decimation;
    this.fft = design.fft;
    this.inverse = design.inverse;
    this.block = design.block;
    this.delay = (taps - 1) / 2 / decimation;
    this.hRe = design.hRe;
    this.hIm = design.hIm;
    int size = fft.size();
    re = new double[lanes][size];
    im = new double[lanes][size];
    wr = new double[size];
    wi = new double[size];
    zr = new double[size / decimation];
    zi = new double[size / decimation];
    mono = channels == 1 ? new double[taps - 1 + 2 * block] : null;
  }

  /** The most frames one call with {@code frames} input frames can return. */
  public int maxOutput(int frames) {
    return mono != null ? (frames + 2 * block) / decimation + 2 : (frames + block) / decimation + 1;
  }

  /**
   * Filters {@code frames} interleaved frames; writes the output frames that are complete to
   * {@code dst[channel]} (room for {@link #maxOutput} each, planar, in double precision so no
   * rounding is added between stages) and returns how many.
   */
  public int process(float[] src, int frames, double[][] dst) {
    return process(src, 0, frames, dst);
  }

  /** As {@link #process(float[], int, double[][])}, reading from frame {@code from} of {@code src}. */
  public int process(float[] src, int from, int frames, double[][] dst) {
    if (mono != null) return processMono(src, from, frames, dst);
    int written = 0;
    int taken = 0;
    while (taken < frames) {
      int n = Math.min(block - fill, frames - taken);
      for (int lane = 0; lane < lanes; lane++) {
        int c0 = 2 * lane;
        boolean pair = c0 + 1 < channels;
        double[] r = re[lane];
        double[] q = im[lane];
        int at = taps - 1 + fill;
        int s = (from + taken) * channels + c0;
        if (pair) {
          for (int i = 0; i < n; i++, s += channels) {
            r[at + i] = src[s];
            q[at + i] = src[s + 1];
          }
        } else {
          for (int i = 0; i < n; i++, s += channels) {
            r[at + i] = src[s];
            q[at + i] = 0;
          }
        }
      }
      fill += n;
      taken += n;
      in += n;
      if (fill == block) written += runBlock(dst, written);
    }
    return written;
  }

  /**
   * Feeds silence until every input frame has its output, writes the rest (at most {@link
   * #finishRoom()} frames per channel) and returns how many. Call once, at the end.
   */
  public int finish(double[][] dst) {
    long total = (in + decimation - 1) / decimation;
    int written = 0;
    if (mono != null) {
      while (out < total) {
        Arrays.fill(mono, taps - 1 + fill, mono.length, 0);
        fill = 2 * block;
        written += runPair(dst, written);
      }
      return written - (int) (out - total);
    }
    while (out < total) {
      for (int lane = 0; lane < lanes; lane++) {
        Arrays.fill(re[lane], taps - 1 + fill, taps - 1 + block, 0);
        Arrays.fill(im[lane], taps - 1 + fill, taps - 1 + block, 0);
      }
      fill = block;
      written += runBlock(dst, written);
    }
    return written - (int) (out - total);
  }

  /** Room {@link #finish} needs per channel. */
  public int finishRoom() {
    return delay + (mono != null ? 4 : 2) * (block / decimation + 1);
  }

  private int processMono(float[] src, int from, int frames, double[][] dst) {
    int written = 0;
    int taken = 0;
    while (taken < frames) {
      int n = Math.min(2 * block - fill, frames - taken);
      int at = taps - 1 + fill;
      for (int i = 0, s = from + taken; i < n; i++, s++) mono[at + i] = src[s];
      fill += n;
      taken += n;
      in += n;
      if (fill == 2 * block) written += runPair(dst, written);
    }
    return written;
  }

  /** Filters the two buffered blocks of one channel in one transform; writes both blocks' outputs. */
  private int runPair(double[][] dst, int at) {
    int size = fft.size();
    System.arraycopy(mono, 0, wr, 0, size);
    System.arraycopy(mono, block, wi, 0, size); // the second block with its own overlap
    filter();
    int n = emit(zr, dst[0], at);
    n += emit(zi, dst[0], at + n);
    System.arraycopy(mono, 2 * block, mono, 0, taps - 1);
    fill = 0;
    return n;
  }

  /** Writes one block's valid outputs from {@code z}, less what is left of the filter's delay. */
  private int emit(double[] z, double[] d, int at) {
    int skip = (int) Math.min(block / decimation, Math.max(0, delay - skipped));
    int n = 0;
    for (int i = (taps - 1) / decimation + skip; i < z.length; i++, n++) d[at + n] = z[i];
    skipped += skip;
    out += n;
    return n;
  }

  /** The block in {@code wr, wi}, transformed, multiplied by the filter, folded and transformed back into {@code zr, zi}. */
  private void filter() {
    int small = inverse.size();
    // Both transforms skip their permutation: the forward one leaves bin k at reverse(k), the
    // filter is stored that way, and the inverse one takes bit-reversed input. Folding the
    // spectrum onto size/D bins (what keeping every D-th sample does) adds bins k that agree in
    // their low bits; in bit-reversed order those are D neighbours, and the sums land in the
    // bit-reversed order of the smaller size, as the inverse wants them.
    fft.forwardBitReversed(wr, wi);
    int d = decimation;
    for (int z = 0, j = 0; z < small; z++) {
      double sr = 0;
      double si = 0;
      for (int t = 0; t < d; t++, j++) {
        double a = wr[j];
        double b = wi[j];
        sr += a * hRe[j] - b * hIm[j];
        si += a * hIm[j] + b * hRe[j];
      }
      zr[z] = sr;
      zi[z] = si;
    }
    inverse.inverseFromBitReversed(zr, zi);
  }

  private int runBlock(double[][] dst, int at) {
    int size = fft.size();
    int small = inverse.size();
    int produced = 0;
    int skip = (int) Math.min(block / decimation, Math.max(0, delay - skipped));
    for (int lane = 0; lane < lanes; lane++) {
      double[] r = re[lane];
      double[] q = im[lane];
      System.arraycopy(r, 0, wr, 0, size);
      System.arraycopy(q, 0, wi, 0, size);
      filter();
      // Outputs from (taps-1)/D on are the valid (non-wrapped) part; the first `delay` outputs of
      // the whole stream are the filter's latency and are dropped.
      int from = (taps - 1) / decimation + skip;
      int c0 = 2 * lane;
      boolean pair = c0 + 1 < channels;
      double[] d0 = dst[c0];
      double[] d1 = pair ? dst[c0 + 1] : null;
      int n = 0;
      for (int i = from; i < small; i++, n++) {
        d0[at + n] = zr[i];
        if (pair) d1[at + n] = zi[i];
      }
      produced = n;
      // Keep the last taps-1 inputs for the next block's overlap.
      System.arraycopy(r, block, r, 0, taps - 1);
      System.arraycopy(q, block, q, 0, taps - 1);
    }
    skipped += skip;
    fill = 0;
    out += produced;
    return produced;
  }
}
