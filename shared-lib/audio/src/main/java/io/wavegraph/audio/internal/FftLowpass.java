package io.wavegraph.audio.internal;

/**
 * A long linear-phase FIR applied by FFT (overlap-save), streaming, for any number of
 * interleaved channels. Two channels share one complex transform (one as the real part, one as
 * the imaginary part: the filter is real, so they do not mix). The filter's delay is removed:
 * output frame {@code n} is the filtered signal at input frame {@code n}, and after {@link
 * #finish} exactly as many frames came out as went in.
 */
public final class FftLowpass {
  private final int channels;
  private final int lanes;
  private final int taps;
  private final int block;
  private final Fft fft;
  private final double[] hRe;
  private final double[] hIm;
  private final double[][] re;
  private final double[][] im;
  private final double[] wr;
  private final double[] wi;
  private final int delay;
  private int fill; // new samples in the current block
  private long in;
  private long out;
  private long skipped;

  /** @param kernel an odd-length symmetric impulse response */
  public FftLowpass(double[] kernel, int channels) {
    if (kernel.length % 2 == 0) throw new IllegalArgumentException("kernel length must be odd");
    this.channels = channels;
    this.lanes = (channels + 1) / 2;
    this.taps = kernel.length;
    int size = Integer.highestOneBit(Math.max(1024, 4 * taps - 1)) * 2;
    this.fft = new Fft(size);
    this.block = size - taps + 1;
    this.delay = (taps - 1) / 2;
    hRe = new double[size];
    hIm = new double[size];
    // Scaled by 1/size here so the unnormalised inverse transform comes out right.
    for (int i = 0; i < taps; i++) hRe[i] = kernel[i] / size;
    fft.transform(hRe, hIm, false);
    re = new double[lanes][size];
    im = new double[lanes][size];
    wr = new double[size];
    wi = new double[size];
  }

  /** The most frames one call with {@code frames} input frames can return. */
  public int maxOutput(int frames) {
    return frames + block;
  }

  /**
   * Filters {@code frames} interleaved frames; writes the frames that are complete to {@code
   * dst[channel]} (room for {@link #maxOutput} each, planar, in double precision so no rounding
   * is added between stages) and returns how many.
   */
  public int process(float[] src, int frames, double[][] dst) {
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
        for (int i = 0, s = taken * channels + c0; i < n; i++, s += channels) {
          r[at + i] = src[s];
          q[at + i] = pair ? src[s + 1] : 0;
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
   * Feeds silence until every input frame has its output; returns how many frames it wrote (at
   * most {@code delay + block}, so {@code dst} needs room for {@link #maxOutput}{@code (0)} plus
   * the delay). Call once, at the end.
   */
  public int finish(double[][] dst) {
    long total = in;
    int written = 0;
    while (out < total) {
      for (int lane = 0; lane < lanes; lane++) {
        java.util.Arrays.fill(re[lane], taps - 1 + fill, taps - 1 + block, 0);
        java.util.Arrays.fill(im[lane], taps - 1 + fill, taps - 1 + block, 0);
      }
      fill = block;
      written += runBlock(dst, written);
    }
    int extra = (int) (out - total);
    return written - Math.max(0, extra);
  }

  /** Room {@link #finish} needs. */
  public int finishRoom() {
    return delay + 2 * block;
  }

  private int runBlock(double[][] dst, int at) {
    int size = fft.size();
    int produced = 0;
    for (int lane = 0; lane < lanes; lane++) {
      double[] r = re[lane];
      double[] q = im[lane];
      System.arraycopy(r, 0, wr, 0, size);
      System.arraycopy(q, 0, wi, 0, size);
      fft.transform(wr, wi, false);
      for (int k = 0; k < size; k++) {
        double a = wr[k];
        double b = wi[k];
        wr[k] = a * hRe[k] - b * hIm[k];
        wi[k] = a * hIm[k] + b * hRe[k];
      }
      fft.transform(wr, wi, true);
      // Outputs taps-1 .. size-1 are the valid (non-wrapped) part; the first `delay` of the whole
      // stream are the filter's latency and are dropped.
      int from = taps - 1;
      int skip = (int) Math.min(block, Math.max(0, delay - skipped));
      int c0 = 2 * lane;
      boolean pair = c0 + 1 < channels;
      int n = 0;
      double[] d0 = dst[c0];
      double[] d1 = pair ? dst[c0 + 1] : null;
      for (int i = from + skip; i < size; i++, n++) {
        d0[at + n] = wr[i];
        if (pair) d1[at + n] = wi[i];
      }
      produced = n;
      // Keep the last taps-1 inputs for the next block's overlap.
      System.arraycopy(r, block, r, 0, taps - 1);
      System.arraycopy(q, block, q, 0, taps - 1);
    }
    skipped += Math.min(block, Math.max(0, delay - skipped));
    fill = 0;
    out += produced;
    return produced;
  }
}
