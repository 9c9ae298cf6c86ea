package io.wavegraph.audio.spectral;

import java.util.Arrays;

/**
 * Streaming short-time Fourier transform of a mono signal: push samples in blocks of any size,
 * receive each frame's spectrum as soon as the samples it covers (and, at the end, the padding)
 * are known. Holds only about one frame of samples, plus the whole signal while it is shorter
 * than the padding.
 *
 * <p>Frame {@code t} is {@code X[k] = sum_n w[n] x[t hop + n - pad] exp(-2 pi i k n / nFft)}, with
 * {@code w} the periodic Hann window and {@code pad = nFft / 2} when centred (else 0), which is
 * librosa's {@code stft} with {@code window='hann'}. The total number of frames is {@link
 * StftParams#frames}. Lifecycle: {@link #push} any number of times, then {@link #finish} once. Not
 * thread-safe.
 */
public final class Stft {

  /** Receives each frame's half spectrum; the arrays are reused for the next frame. */
  @FunctionalInterface
  public interface FrameSink {
    void frame(long index, double[] re, double[] im);
  }

  private final StftParams params;
  private final FrameSink sink;
  private final RealFft fft;
  // Windows depend only on the size: made once per size and shared (only ever read).
  private static final java.util.concurrent.ConcurrentHashMap<Integer, double[]> HANN = new java.util.concurrent.ConcurrentHashMap<>();
  private final double[] window;
  private final double[] frame;
  private final double[] re;
  private final double[] im;
  private final int offset; // samples of padding before sample 0
  private float[] buf = new float[1 << 14];
  private long bufStart; // sample index of buf[0]
  private int filled;
  private long total;
  private long next; // next frame to emit
  private boolean finished;

  public Stft(StftParams params, FrameSink sink) {
    this.params = params;
    this.sink = sink;
    this.fft = new RealFft(params.nFft());
    this.window = HANN.computeIfAbsent(params.nFft(), Windows::hann);
    this.frame = new double[params.nFft()];
    this.re = new double[params.bins()];
    this.im = new double[params.bins()];
    this.offset = params.center() ? params.nFft() / 2 : 0;
  }

  public StftParams params() {
    return params;
  }

  /** Appends {@code n} samples from {@code samples[0..n)} and emits the frames now complete. */
  public void push(float[] samples, int n) {
    if (finished) throw new IllegalStateException("push after finish");
    int at = 0;
    while (at < n) {
      makeRoom();
      int k = Math.min(n - at, buf.length - filled);
      System.arraycopy(samples, at, buf, filled, k);
      filled += k;
      total += k;
      at += k;
      emit(false);
    }
  }

  /** Ends the signal, emits the remaining frames (with the end padding) and returns the frame count. */
  public long finish() {
    if (!finished) {
      finished = true;
      emit(true);
    }
    return next;
  }

  private void emit(boolean atEnd) {
    int nFft = params.nFft();
    long last = atEnd ? params.frames(total) : Long.MAX_VALUE;
    while (next < last) {
      long start = next * params.hop() - offset;
      if (!atEnd) {
        // Before the end is known: the frame must lie within what has arrived, and a left
        // reflection needs the samples it mirrors.
        if (start + nFft > total) return;
        if (start < 0 && params.padMode() == PadMode.REFLECT && total <= offset) return;
      }
      fill(start);
      fft.forward(frame, re, im);
      sink.frame(next, re, im);
      next++;
    }
  }

  private void fill(long start) {
    int nFft = params.nFft();
    if (start >= bufStart && start + nFft <= bufStart + filled) {
      int o = (int) (start - bufStart);
      for (int i = 0; i < nFft; i++) frame[i] = buf[o + i] * window[i];
      return;
    }
    for (int i = 0; i < nFft; i++) frame[i] = sample(start + i) * window[i];
  }

  private double sample(long i) {
    if (i >= 0 && i < total) return buf[(int) (i - bufStart)];
    if (params.padMode() == PadMode.CONSTANT || total == 0) return 0;
    if (total == 1) return buf[(int) (0 - bufStart)];
    long period = 2 * (total - 1);
    long j = Math.floorMod(i, period);
    if (j >= total) j = period - j;
    return buf[(int) (j - bufStart)];
  }

  /** Drops samples no future frame (or end reflection) can read; grows the buffer if it is full. */
  private void makeRoom() {
    if (filled < buf.length) return;
    // Future frames start at next*hop - offset or later; reflections at the end read back at most
    // offset + 1 samples from the end.
    long keep = Math.max(0, Math.min(next * params.hop() - offset, total - offset - 1));
    int drop = (int) Math.min(filled, keep - bufStart);
    if (drop > 0) {
      System.arraycopy(buf, drop, buf, 0, filled - drop);
      filled -= drop;
      bufStart += drop;
    }
    if (filled == buf.length) buf = Arrays.copyOf(buf, buf.length * 2);
  }
}
