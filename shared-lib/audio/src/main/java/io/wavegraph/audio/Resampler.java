package io.wavegraph.audio;

import io.wavegraph.audio.internal.FftLowpass;
import io.wavegraph.audio.internal.PolyphaseTable;
import java.io.IOException;

/**
 * Streaming band-limited sample-rate converter for any pair of integer rates (Kaiser-windowed
 * sinc, computed in double precision: downsampling filters by FFT, then interpolates with a short
 * polyphase kernel; upsampling uses one polyphase filter).
 *
 * <p>Callers may rely on: no added delay (output sample {@code n} is the input signal evaluated at
 * time {@code n / outRate}); after {@link #flush} the total output is exactly {@code
 * round(inFrames * outRate / inRate)} frames; output is identical whatever block sizes the input
 * arrives in; equal rates are a plain copy. Quality levels (fraction of the lower Nyquist that is
 * flat, and attenuation from the lower Nyquist up):
 *
 * <ul>
 *   <li>{@link Quality#FAST}: flat to 0.80, about 96 dB;
 *   <li>{@link Quality#HIGH}: flat to 0.90, about 120 dB;
 *   <li>{@link Quality#VERY_HIGH} (default): flat to 0.90 within 0.001 dB, at least 140 dB.
 * </ul>
 *
 * Lifecycle: {@link #process} any number of times, then {@link #flush} until it returns 0. A
 * resampler is single-use and not thread-safe.
 */
public final class Resampler {

  /** Filter quality; higher costs more taps per output sample. */
  public enum Quality {
    FAST(0.80, 96),
    HIGH(0.90, 120),
    VERY_HIGH(0.90, 150);

    final double passband;
    final double attenuationDb;

    Quality(double passband, double attenuationDb) {
      this.passband = passband;
      this.attenuationDb = attenuationDb;
    }
  }

  private static final int CHUNK = 4096;

  private final int inRate;
  private final int outRate;
  private final int channels;
  private final int l; // output samples per...
  private final int m; // ...input samples, reduced
  private final int lb; // the same for the polyphase stage, whose input may be decimated
  private final int mb;
  // Downsampling runs in two stages: the sharp low-pass at the new Nyquist by FFT at the input
  // rate (a few dozen operations per sample, whatever its length), then a short polyphase
  // interpolator that only has to reject the images of an already band-limited signal. One long
  // polyphase filter costs hundreds of multiply-adds per output sample instead.
  private final FftLowpass pre;
  private final double[][] staged;
  private final PolyphaseTable table;
  private final int half;
  private final double[][] history;
  private long bufStart; // input index of history[c][0]
  private int filled;
  private long nextIn; // integer part of the next output's input position
  private int nextPhase; // fractional part, in 1/L
  private long produced;
  private long consumed;
  private boolean flushing;
  private double[][] tail; // the pre-filter's last output, fed to the interpolator during flush
  private int tailFrames;
  private int tailFed;

  private Resampler(int inRate, int outRate, int channels, Quality quality) {
    if (inRate <= 0 || outRate <= 0 || channels <= 0) {
      throw new IllegalArgumentException("rates and channels must be positive: " + inRate + " -> " + outRate + ", " + channels);
    }
    this.inRate = inRate;
    this.outRate = outRate;
    this.channels = channels;
    int g = gcd(inRate, outRate);
    this.l = outRate / g;
    this.m = inRate / g;
    if (l == m) {
      pre = null;
      staged = null;
      table = null;
      half = 0;
      history = null;
      lb = 1;
      mb = 1;
      return;
    }
    if (outRate < inRate) {
      // Decimate inside the FFT stage by the largest power of two that keeps the intermediate
      // rate a whole number of hertz and at least the output rate (so nothing above the new
      // Nyquist, already removed, can fold back).
      int d = 1;
      while (d < 64 && inRate % (2 * d) == 0 && inRate / (2 * d) >= outRate) d *= 2;
      int dec = d;
      int midRate = inRate / d;
      double nyquist = 0.5 * outRate / inRate; // the new Nyquist, in cycles per input sample
      int gb = gcd(midRate, outRate);
      lb = outRate / gb;
      mb = midRate / gb;
      Filters f = filters(inRate, outRate, quality, () -> new Filters(
          new FftLowpass.Design(PolyphaseTable.lowpassKernel(quality.passband * nyquist, nyquist, quality.attenuationDb, dec), dec),
          lb == mb ? null : PolyphaseTable.designInterpolator(lb, 0.5 * outRate / midRate, quality.attenuationDb)));
      pre = new FftLowpass(f.pre, channels);
      staged = new double[channels][Math.max(pre.maxOutput(CHUNK), pre.finishRoom())];
      table = f.table;
    } else {
      pre = null;
      staged = new double[channels][CHUNK];
      table = filters(inRate, outRate, quality, () -> new Filters(null, PolyphaseTable.design(l, m, quality.passband, quality.attenuationDb))).table;
      lb = l;
      mb = m;
    }
    if (table == null) { // the FFT stage alone lands on the output rate
      half = 0;
      history = null;
      return;
    }
    half = table.taps() / 2;
    history = new double[channels][table.taps() + CHUNK];
    // Input before the start is silence: the first output's window reaches half-1 samples back.
    bufStart = 1 - half;
    filled = half - 1;
  }

  /** The filters of one conversion: they depend only on the rates and the quality, never on the audio. */
  private record Filters(FftLowpass.Design pre, PolyphaseTable table) {}

  private record FilterKey(int inRate, int outRate, Quality quality) {}

  /**
   * Filters designed so far, shared by every resampler (both parts are immutable): a catalog run
   * converts thousands of files between the same few rates, and a design costs a kernel, a window
   * and a transform. Bounded, as a long-lived process may meet any number of odd rates.
   */
  private static final java.util.concurrent.ConcurrentHashMap<FilterKey, Filters> FILTERS = new java.util.concurrent.ConcurrentHashMap<>();

  private static final int MAX_SHARED_FILTERS = 64;

  private static Filters filters(int inRate, int outRate, Quality quality, java.util.function.Supplier<Filters> design) {
    FilterKey key = new FilterKey(inRate, outRate, quality);
    Filters f = FILTERS.get(key);
    if (f != null) return f;
    f = design.get();
    if (FILTERS.size() < MAX_SHARED_FILTERS) FILTERS.putIfAbsent(key, f);
    return f;
  }

  /** A resampler with {@link Quality#VERY_HIGH}. */
  public static Resampler create(int inRate, int outRate, int channels) {
    return create(inRate, outRate, channels, Quality.VERY_HIGH);
  }

  public static Resampler create(int inRate, int outRate, int channels, Quality quality) {
    return new Resampler(inRate, outRate, channels, quality);
  }

  private static int gcd(int a, int b) {
    return b == 0 ? a : gcd(b, a % b);
  }

  public int inRate() {
    return inRate;
  }

  public int outRate() {
    return outRate;
  }

  public int channels() {
    return channels;
  }

  /** True when the rates are equal: the output is the input, so callers may skip the resampler. */
  public boolean isIdentity() {
    return pre == null && table == null;
  }

  /** The most frames one {@link #process} call with {@code inFrames} frames can produce. */
  public int maxOutputFrames(int inFrames) {
    long staged = pre == null ? inFrames : pre.maxOutput(inFrames);
    return (int) ((staged * lb + mb - 1) / mb + 1);
  }

  /** Total output frames for {@code inFrames} input frames: {@code round(inFrames * outRate / inRate)}. */
  public long outputLength(long inFrames) {
    long q = inFrames / m;
    long r = inFrames % m;
    return q * l + (2 * r * l + m) / (2L * m);
  }

  /**
   * Consumes {@code inFrames} interleaved frames and writes the output that is now complete.
   *
   * @param out room for at least {@link #maxOutputFrames}{@code (inFrames) x channels} floats
   * @return frames written to {@code out}
   */
  public int process(float[] in, int inFrames, float[] out) {
    if (flushing) {
      throw new IllegalStateException("process after flush; a Resampler is single-use");
    }
    if (out.length < (long) maxOutputFrames(inFrames) * channels) {
      throw new IllegalArgumentException("output buffer holds " + out.length / channels + " frames, need " + maxOutputFrames(inFrames));
    }
    consumed += inFrames;
    if (pre == null && table == null) {
      System.arraycopy(in, 0, out, 0, inFrames * channels);
      produced += inFrames;
      return inFrames;
    }
    int done = 0;
    for (int taken = 0; taken < inFrames; ) {
      int n = Math.min(CHUNK, inFrames - taken);
      int k;
      if (pre != null) {
        k = pre.process(in, taken, n, staged);
      } else {
        for (int c = 0; c < channels; c++) {
          double[] d = staged[c];
          for (int i = 0, s = taken * channels + c; i < n; i++, s += channels) d[i] = in[s];
        }
        k = n;
      }
      done = table == null ? copy(staged, 0, k, out, done, Long.MAX_VALUE) : feed(staged, 0, k, out, done, Long.MAX_VALUE, Integer.MAX_VALUE);
      taken += n;
    }
    return done;
  }

  /** Writes {@code n} planar frames straight to the output (no polyphase stage), up to {@code total}. */
  private int copy(double[][] src, int from, int n, float[] out, int done, long total) {
    int k = (int) Math.min(n, total - produced);
    for (int i = 0; i < k; i++) {
      int o = (done + i) * channels;
      for (int c = 0; c < channels; c++) out[o + c] = (float) src[c][from + i];
    }
    produced += k;
    return done + k;
  }

  /** Moves {@code n} planar frames into the history, producing output as it goes. */
  private int feed(double[][] src, int from, int n, float[] out, int done, long total, int max) {
    int taken = 0;
    while (taken < n) {
      makeRoom();
      int k = Math.min(history[0].length - filled, n - taken);
      for (int c = 0; c < channels; c++) System.arraycopy(src[c], from + taken, history[c], filled, k);
      filled += k;
      taken += k;
      done += produce(out, done, total, max - done);
    }
    return done;
  }

  /**
   * Pads the input with silence and writes the remaining output, at most as much as fits in {@code
   * out}. Call until it returns 0; then the total output is exactly {@link #outputLength} of the
   * input.
   */
  public int flush(float[] out) {
    flushing = true;
    long total = outputLength(consumed);
    int capacity = out.length / channels;
    if (pre == null && table == null) {
      return 0;
    }
    int done = 0;
    if (pre != null) {
      if (tail == null) {
        tail = new double[channels][pre.finishRoom()];
        tailFrames = pre.finish(tail);
      }
      // Feed only what the output has room for, so the history never has to hold more.
      while (tailFed < tailFrames && done < capacity) {
        int room = capacity - done;
        if (table == null) {
          int k = Math.min(tailFrames - tailFed, room);
          done = copy(tail, tailFed, k, out, done, total);
          tailFed += k;
          if (produced >= total) tailFed = tailFrames;
          continue;
        }
        int k = (int) Math.min(tailFrames - tailFed, Math.max(1, ((long) room - 2) * mb / lb));
        done = feed(tail, tailFed, k, out, done, total, capacity);
        tailFed += k;
      }
      if (tailFed < tailFrames || table == null) return done;
    }
    while (produced < total && done < capacity) {
      makeRoom();
      int n = history[0].length - filled;
      for (int c = 0; c < channels; c++) {
        java.util.Arrays.fill(history[c], filled, filled + n, 0.0);
      }
      filled += n;
      done += produce(out, done, total, capacity - done);
    }
    return done;
  }

  /** Drops history that no future output needs, once the buffer is full. */
  private void makeRoom() {
    if (filled < history[0].length) {
      return;
    }
    int drop = (int) (nextIn + 1 - half - bufStart);
    if (drop <= 0) {
      return;
    }
    for (double[] h : history) {
      System.arraycopy(h, drop, h, 0, filled - drop);
    }
    filled -= drop;
    bufStart += drop;
  }

  private int produce(float[] out, int at, long total, int max) {
    int n = 0;
    int step = mb / lb;
    int stepPhase = mb % lb;
    while (n < max && produced < total && nextIn + half < bufStart + filled) {
      int off = (int) (nextIn + 1 - half - bufStart);
      int o = (at + n) * channels;
      if (channels == 2) {
        table.applyPair(history[0], history[1], off, nextPhase, out, o);
      } else {
        for (int c = 0; c < channels; c++) {
          out[o + c] = (float) table.apply(history[c], off, nextPhase);
        }
      }
      nextIn += step;
      nextPhase += stepPhase;
      if (nextPhase >= lb) {
        nextPhase -= lb;
        nextIn++;
      }
      produced++;
      n++;
    }
    return n;
  }

  /**
   * Resamples all of {@code in} into {@code out} at {@code out}'s rate, flushing at the end. The
   * channel counts must match; neither side is closed.
   *
   * @return frames written
   */
  public static long resample(AudioSource in, WavWriter out, Quality quality) throws IOException {
    return resample(in, out, quality, null);
  }

  /** As {@link #resample(AudioSource, WavWriter, Quality)}, dithering each block when {@code dither} is set. */
  public static long resample(AudioSource in, WavWriter out, Quality quality, TpdfDither dither) throws IOException {
    if (in.channels() != out.channels()) {
      throw new IllegalArgumentException("channel count " + in.channels() + " != writer's " + out.channels());
    }
    Resampler r = create(in.sampleRate(), out.sampleRate(), in.channels(), quality);
    float[] buf = new float[CHUNK * in.channels()];
    float[] res = new float[r.maxOutputFrames(CHUNK) * in.channels()];
    long total = 0;
    int n;
    while ((n = in.read(buf, CHUNK)) > 0) {
      int k = r.process(buf, n, res);
      if (dither != null) dither.apply(res, k * in.channels());
      out.write(res, k);
      total += k;
    }
    while ((n = r.flush(res)) > 0) {
      if (dither != null) dither.apply(res, n * in.channels());
      out.write(res, n);
      total += n;
    }
    return total;
  }
}
