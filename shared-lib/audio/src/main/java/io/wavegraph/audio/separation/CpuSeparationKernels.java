package io.wavegraph.audio.separation;

import io.wavegraph.audio.internal.Fft;
import io.wavegraph.audio.spectral.RealFft;
import io.wavegraph.audio.spectral.Windows;
import java.util.Arrays;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;

/**
 * The separation kernels in plain Java, parallel over frames or bins on a fork-join pool. Each
 * worker thread keeps its scratch buffers and FFT tables between calls, so the hot loops allocate
 * nothing. The medians slide a sorted window (one removal and one insertion per cell) instead of
 * sorting every window; the similarity matrix is a product of the unit-normalised frames with
 * themselves in 4 x 4 blocks whose 16 sums stay in registers, each block computed once for its
 * mirror too.
 */
public final class CpuSeparationKernels implements SeparationKernels {
  /**
   * One pool for every caller, as wide as the machine: the common pool has one thread fewer than
   * there are processors, so on two cores it would run everything on one.
   */
  private static final CpuSeparationKernels COMMON =
      new CpuSeparationKernels(new ForkJoinPool(Runtime.getRuntime().availableProcessors()));
  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);
  private static final int ELEMENTS_PER_TASK = 1 << 15;
  private static final int BLOCK = 4; // the similarity is computed in 4 x 4 blocks of sums held in registers
  private static final int PANEL = 32; // similarity rows per task: 32 frames of 1025 bins, 131 KB
  private static final int TILE = 64; // similarity columns summed against a panel while both stay in L2
  private static final int MODEL_CHUNK = 64; // bins per pass of the repeating model's sorting network

  private final ForkJoinPool pool;

  /** Kernels whose parallel work runs on {@code pool} (parallelism 1: on the calling thread). */
  public CpuSeparationKernels(ForkJoinPool pool) {
    this.pool = pool;
  }

  static CpuSeparationKernels common() {
    return COMMON;
  }

  @Override
  public String name() {
    return "cpu";
  }

  @Override
  public void stft(float[] signal, int samples, int fft, int hop, float[] re, float[] im) {
    checkTransform(fft, hop);
    int frames = SeparationKernels.frames(samples, hop);
    int bins = fft / 2 + 1;
    int pad = fft / 2;
    double[] window = Windows.hann(fft);
    forEach(frames, 8, (from, to) -> {
      Scratch s = SCRATCH.get();
      RealFft f = s.realFft(fft);
      double[] frame = s.doubles(0, fft);
      double[] r = s.doubles(1, bins);
      double[] i = s.doubles(2, bins);
      for (int t = from; t < to; t++) {
        int start = t * hop - pad;
        for (int n = 0; n < fft; n++) {
          int at = start + n;
          frame[n] = at >= 0 && at < samples ? signal[at] * window[n] : 0;
        }
        f.forward(frame, r, i);
        int o = t * bins;
        for (int k = 0; k < bins; k++) {
          re[o + k] = (float) r[k];
          im[o + k] = (float) i[k];
        }
      }
    });
  }

  @Override
  public void istft(float[] re, float[] im, int frames, int fft, int hop, float[] signal, int samples) {
    checkTransform(fft, hop);
    int pad = fft / 2;
    double[] window = Windows.hann(fft);
    Arrays.fill(signal, 0, samples, 0f);
    // Chunks of frames far enough apart never write the same samples: run the even chunks in
    // parallel, then the odd ones.
    int chunk = Math.max(16, 2 * ((fft + hop - 1) / hop));
    int chunks = (frames + chunk - 1) / chunk;
    for (int parity = 0; parity < 2; parity++) {
      int first = parity;
      forEach((chunks - first + 1) / 2, 1, (from, to) -> {
        for (int c = from; c < to; c++) {
          int t0 = (first + 2 * c) * chunk;
          overlapAdd(re, im, t0, Math.min(frames, t0 + chunk), fft, hop, pad, window, signal, samples);
        }
      });
    }
    forEach(samples, ELEMENTS_PER_TASK, (from, to) -> {
      for (int n = from; n < to; n++) {
        // Frames t with 0 <= n + pad - t hop < fft.
        int tHigh = Math.min(frames - 1, Math.floorDiv(n + pad, hop));
        int tLow = Math.max(0, Math.floorDiv(n + pad - fft, hop) + 1);
        double sum = 0;
        for (int t = tLow; t <= tHigh; t++) {
          double w = window[n + pad - t * hop];
          sum += w * w;
        }
        if (sum > 1e-10) signal[n] = (float) (signal[n] / sum);
      }
    });
  }

  /** Two real frames per complex inverse FFT: z = ifft(X1 + i X2) has x1 = Re z and x2 = Im z. */
  private static void overlapAdd(
      float[] re, float[] im, int from, int to, int fft, int hop, int pad, double[] window, float[] signal, int samples) {
    Scratch s = SCRATCH.get();
    Fft f = s.fft(fft);
    double[] zr = s.doubles(0, fft);
    double[] zi = s.doubles(1, fft);
    int bins = fft / 2 + 1;
    double scale = 1.0 / fft;
    for (int t = from; t < to; t += 2) {
      boolean pair = t + 1 < to;
      int a = t * bins;
      int b = (t + 1) * bins;
      for (int k = 0; k < bins; k++) {
        // The imaginary parts of DC and Nyquist do not belong to a real signal (irfft drops them).
        boolean edge = k == 0 || k == bins - 1;
        double ar = re[a + k];
        double ai = edge ? 0 : im[a + k];
        double br = pair ? re[b + k] : 0;
        double bi = pair && !edge ? im[b + k] : 0;
        zr[k] = ar - bi;
        zi[k] = ai + br;
        if (!edge) {
          // Hermitian mirrors: X[n - k] = conj X[k].
          zr[fft - k] = ar + bi;
          zi[fft - k] = -ai + br;
        }
      }
      f.transform(zr, zi, true);
      add(zr, scale, t, fft, hop, pad, window, signal, samples);
      if (pair) add(zi, scale, t + 1, fft, hop, pad, window, signal, samples);
    }
  }

  private static void add(double[] x, double scale, int t, int fft, int hop, int pad, double[] window, float[] signal, int samples) {
    int start = t * hop - pad;
    int from = Math.max(0, -start);
    int to = Math.min(fft, samples - start);
    for (int n = from; n < to; n++) signal[start + n] += (float) (x[n] * scale * window[n]);
  }

  @Override
  public void magnitude(float[] re, float[] im, int n, float[] mag) {
    forEach(n, ELEMENTS_PER_TASK, (from, to) -> {
      for (int i = from; i < to; i++) mag[i] = (float) Math.sqrt((double) re[i] * re[i] + (double) im[i] * im[i]);
    });
  }

  @Override
  public void medianAlongTime(float[] in, int frames, int bins, int kernel, float[] out) {
    checkKernel(kernel);
    int half = kernel / 2;
    int padded = frames + kernel - 1;
    int block = 16; // bins per task: rows of 16 contiguous floats are read and written together
    forEach((bins + block - 1) / block, 1, (fromBlock, toBlock) -> {
      Scratch s = SCRATCH.get();
      float[] columns = s.floats(0, block * padded);
      float[] medians = s.floats(1, block * frames);
      float[] window = s.floats(2, kernel);
      for (int bl = fromBlock; bl < toBlock; bl++) {
        int b0 = bl * block;
        int width = Math.min(block, bins - b0);
        for (int p = 0; p < padded; p++) {
          int row = reflect(p - half, frames) * bins + b0;
          for (int c = 0; c < width; c++) columns[c * padded + p] = in[row + c];
        }
        for (int c = 0; c < width; c++) slidingMedian(columns, c * padded, frames, kernel, window, medians, c * frames);
        for (int t = 0; t < frames; t++) {
          int row = t * bins + b0;
          for (int c = 0; c < width; c++) out[row + c] = medians[c * frames + t];
        }
      }
    });
  }

  @Override
  public void medianAlongFrequency(float[] in, int frames, int bins, int kernel, float[] out) {
    checkKernel(kernel);
    int half = kernel / 2;
    int padded = bins + kernel - 1;
    forEach(frames, 16, (from, to) -> {
      Scratch s = SCRATCH.get();
      float[] row = s.floats(0, padded);
      float[] window = s.floats(2, kernel);
      for (int t = from; t < to; t++) {
        int o = t * bins;
        for (int p = 0; p < padded; p++) row[p] = in[o + reflect(p - half, bins)];
        slidingMedian(row, 0, bins, kernel, window, out, o);
      }
    });
  }

  /**
   * Medians of the {@code n} windows of length {@code k} of {@code x[from .. from + n + k - 1)},
   * keeping the window sorted: each step replaces the value that leaves by the one that enters and
   * moves it to its place.
   */
  static void slidingMedian(float[] x, int from, int n, int k, float[] window, float[] out, int at) {
    System.arraycopy(x, from, window, 0, k);
    Arrays.sort(window, 0, k);
    int mid = k / 2;
    out[at] = window[mid];
    for (int i = 1; i < n; i++) {
      float leaving = x[from + i - 1];
      float entering = x[from + i + k - 1];
      int pos = lowerBound(window, k, leaving);
      while (pos > 0 && window[pos - 1] > entering) {
        window[pos] = window[pos - 1];
        pos--;
      }
      while (pos < k - 1 && window[pos + 1] < entering) {
        window[pos] = window[pos + 1];
        pos++;
      }
      window[pos] = entering;
      out[at + i] = window[mid];
    }
  }

  private static int lowerBound(float[] a, int n, float v) {
    int lo = 0;
    int hi = n - 1;
    while (lo < hi) {
      int m = (lo + hi) >>> 1;
      if (a[m] < v) lo = m + 1;
      else hi = m;
    }
    return lo;
  }

  /** scipy's {@code reflect}: {@code d c b a | a b c d | d c b a}, repeated for any offset. */
  static int reflect(int i, int n) {
    int j = Math.floorMod(i, 2 * n);
    return j < n ? j : 2 * n - 1 - j;
  }

  @Override
  public void similarity(float[] mag, int frames, int bins, int rowStart, int rows, float[] sim) {
    // The unit frames, row-major: a frame's bins are contiguous, so a 4 x 4 block of the product
    // streams 8 rows once over k with its 16 sums in registers.
    float[] unit = new float[frames * bins];
    forEach(frames, 64, (from, to) -> {
      for (int t = from; t < to; t++) {
        double sum = 0;
        int o = t * bins;
        for (int k = 0; k < bins; k++) sum += (double) mag[o + k] * mag[o + k];
        float inv = sum > 0 ? (float) (1 / Math.sqrt(sum)) : 0;
        for (int k = 0; k < bins; k++) unit[o + k] = mag[o + k] * inv;
      }
    });
    int rowEnd = rowStart + rows;
    int panels = (rows + PANEL - 1) / PANEL;
    // Panel p and panel (panels - 1 - p) together: the symmetric half makes early panels longer.
    forEach((panels + 1) / 2, 1, (from, to) -> {
      float[] c = new float[BLOCK * BLOCK];
      for (int p = from; p < to; p++) {
        similarityPanel(unit, frames, bins, rowStart, rowEnd, rowStart + p * PANEL, sim, c);
        int q = panels - 1 - p;
        if (q != p) similarityPanel(unit, frames, bins, rowStart, rowEnd, rowStart + q * PANEL, sim, c);
      }
    });
  }

  /**
   * Rows {@code [p0, p0 + PANEL)} of the block, every column, a tile of {@code TILE} columns at a
   * time so that the panel's and the tile's frames stay in cache while their blocks are summed.
   * Column blocks are aligned with the row groups ({@code rowStart} plus a multiple of {@code
   * BLOCK}), so a column block that starts among the block's rows is a row group: one left of
   * the group {@code r0} was written by that group as the mirror of its own, and one from {@code
   * r0} on is written here and mirrored.
   */
  private static void similarityPanel(float[] unit, int frames, int bins, int rowStart, int rowEnd, int p0, float[] sim,
      float[] c) {
    int p1 = Math.min(rowEnd, p0 + PANEL);
    int offset = Math.floorMod(rowStart, BLOCK);
    for (int t0 = offset == 0 ? 0 : offset - BLOCK; t0 < frames; t0 += TILE) {
      int t1 = Math.min(frames, t0 + TILE);
      for (int r0 = p0; r0 < p1; r0 += BLOCK) {
        int r1 = Math.min(rowEnd, r0 + BLOCK);
        for (int j0 = t0; j0 < t1; j0 += BLOCK) {
          boolean inside = j0 >= rowStart && j0 < rowEnd;
          if (inside && j0 < r0) continue;
          block(unit, frames, bins, r0, j0, c);
          int js = Math.max(0, j0);
          int je = Math.min(frames, j0 + BLOCK);
          for (int r = r0; r < r1; r++) {
            for (int j = js; j < je; j++) {
              float v = c[(r - r0) * BLOCK + j - j0];
              sim[(r - rowStart) * frames + j] = v;
              if (inside && j < rowEnd) sim[(j - rowStart) * frames + r] = v;
            }
          }
        }
      }
    }
  }

  /**
   * {@code c[x * 4 + y] = sum_k unit[i0 + x][k] unit[j0 + y][k]}; frames outside {@code [0,
   * frames)} are read as the nearest one (their sums are not used).
   */
  private static void block(float[] unit, int frames, int bins, int i0, int j0, float[] c) {
    int last = frames - 1;
    int a0 = Math.min(i0, last) * bins;
    int a1 = Math.min(i0 + 1, last) * bins;
    int a2 = Math.min(i0 + 2, last) * bins;
    int a3 = Math.min(i0 + 3, last) * bins;
    int b0 = Math.max(0, Math.min(j0, last)) * bins;
    int b1 = Math.max(0, Math.min(j0 + 1, last)) * bins;
    int b2 = Math.max(0, Math.min(j0 + 2, last)) * bins;
    int b3 = Math.max(0, Math.min(j0 + 3, last)) * bins;
    float c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
    float c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
    for (int k = 0; k < bins; k++) {
      float x0 = unit[a0 + k];
      float x1 = unit[a1 + k];
      float x2 = unit[a2 + k];
      float x3 = unit[a3 + k];
      float y0 = unit[b0 + k];
      float y1 = unit[b1 + k];
      float y2 = unit[b2 + k];
      float y3 = unit[b3 + k];
      c00 += x0 * y0;
      c01 += x0 * y1;
      c02 += x0 * y2;
      c03 += x0 * y3;
      c10 += x1 * y0;
      c11 += x1 * y1;
      c12 += x1 * y2;
      c13 += x1 * y3;
      c20 += x2 * y0;
      c21 += x2 * y1;
      c22 += x2 * y2;
      c23 += x2 * y3;
      c30 += x3 * y0;
      c31 += x3 * y1;
      c32 += x3 * y2;
      c33 += x3 * y3;
    }
    c[0] = c00;
    c[1] = c01;
    c[2] = c02;
    c[3] = c03;
    c[4] = c10;
    c[5] = c11;
    c[6] = c12;
    c[7] = c13;
    c[8] = c20;
    c[9] = c21;
    c[10] = c22;
    c[11] = c23;
    c[12] = c30;
    c[13] = c31;
    c[14] = c32;
    c[15] = c33;
  }

  @Override
  public void repeatingFrames(
      float[] sim, int frames, int rowStart, int rows, int maxRepeats, int minDistance, float minSimilarity,
      int[] repeats, int[] counts) {
    forEach(rows, 8, (from, to) -> {
      Scratch s = SCRATCH.get();
      long[] candidates = s.longs(frames);
      int[] blocked = s.stamps(frames);
      for (int r = from; r < to; r++) {
        int self = rowStart + r;
        int o = r * frames;
        int n = 0;
        for (int j = 0; j < frames; j++) {
          float v = sim[o + j];
          if (j == self || !(v > 0 && v >= minSimilarity)) continue;
          if (j > 0 && sim[o + j - 1] > v) continue;
          if (j < frames - 1 && sim[o + j + 1] > v) continue;
          // Positive floats order like their bits: sort by similarity, then by frame.
          candidates[n++] = (long) Float.floatToIntBits(v) << 32 | (frames - 1 - j);
        }
        Arrays.sort(candidates, 0, n);
        int stamp = ++s.stamp;
        int base = r * maxRepeats;
        int count = accept(self, minDistance, frames, blocked, stamp, repeats, base, 0);
        for (int c = n - 1; c >= 0 && count < maxRepeats; c--) {
          int j = frames - 1 - (int) candidates[c];
          if (blocked[j] != stamp) count = accept(j, minDistance, frames, blocked, stamp, repeats, base, count);
        }
        counts[r] = count;
      }
    });
  }

  /** Takes frame {@code j} and blocks the frames nearer to it than {@code minDistance}. */
  private static int accept(int j, int minDistance, int frames, int[] blocked, int stamp, int[] repeats, int base, int count) {
    repeats[base + count] = j;
    int lo = Math.max(0, j - minDistance + 1);
    int hi = Math.min(frames - 1, j + minDistance - 1);
    for (int b = lo; b <= hi; b++) blocked[b] = stamp;
    return count + 1;
  }

  @Override
  public void repeatingModel(
      float[] mag, int frames, int bins, int rowStart, int rows, int maxRepeats, int[] repeats, int[] counts,
      float[] model) {
    forEach(rows, 4, (from, to) -> {
      Scratch s = SCRATCH.get();
      float[] gathered = s.floats(0, MODEL_CHUNK * maxRepeats);
      for (int r = from; r < to; r++) {
        int n = counts[r];
        int base = r * maxRepeats;
        int[] network = SortingNetwork.median(n);
        int o = (rowStart + r) * bins;
        // A chunk of bins at a time, so the repeats of the chunk stay in L1 while the network runs.
        for (int k0 = 0; k0 < bins; k0 += MODEL_CHUNK) {
          int w = Math.min(MODEL_CHUNK, bins - k0);
          for (int l = 0; l < n; l++) System.arraycopy(mag, repeats[base + l] * bins + k0, gathered, l * MODEL_CHUNK, w);
          // The median of every bin of the chunk at once with one network (the pairs a sort needs for
          // its middle), branch-free.
          for (int c = 0; c < network.length; c += 2) {
            int x = network[c] * MODEL_CHUNK;
            int y = network[c + 1] * MODEL_CHUNK;
            for (int k = 0; k < w; k++) {
              float u = gathered[x + k];
              float v = gathered[y + k];
              gathered[x + k] = Math.min(u, v);
              gathered[y + k] = Math.max(u, v);
            }
          }
          int hi = (n / 2) * MODEL_CHUNK;
          int lo = ((n - 1) / 2) * MODEL_CHUNK;
          for (int k = 0; k < w; k++) {
            model[o + k0 + k] = Math.min(mag[o + k0 + k], 0.5f * (gathered[lo + k] + gathered[hi + k]));
          }
        }
      }
    });
  }

  @Override
  public void softMask(float[] target, float[] other, int n, float power, float[] mask) {
    forEach(n, ELEMENTS_PER_TASK, (from, to) -> {
      for (int i = from; i < to; i++) {
        float t = target[i];
        float o = other[i];
        float z = Math.max(t, o);
        if (!(z > Float.MIN_NORMAL)) {
          mask[i] = 0.5f;
          continue;
        }
        // Scaled by the larger first, so a high power cannot overflow.
        float a = t / z;
        float b = o / z;
        if (power == 2) {
          a *= a;
          b *= b;
        } else if (power != 1) {
          a = (float) Math.pow(a, power);
          b = (float) Math.pow(b, power);
        }
        mask[i] = a / (a + b);
      }
    });
  }

  @Override
  public void applyMask(float[] re, float[] im, float[] mask, int n, float[] outRe, float[] outIm) {
    forEach(n, ELEMENTS_PER_TASK, (from, to) -> {
      for (int i = from; i < to; i++) {
        outRe[i] = re[i] * mask[i];
        outIm[i] = im[i] * mask[i];
      }
    });
  }

  private static void checkTransform(int fft, int hop) {
    if (fft < 4 || Integer.bitCount(fft) != 1) throw new IllegalArgumentException("fft must be a power of two >= 4, got " + fft);
    if (hop < 1 || hop > fft / 2) throw new IllegalArgumentException("hop must be between 1 and fft/2, got " + hop);
  }

  private static void checkKernel(int kernel) {
    if (kernel < 1 || kernel % 2 == 0) throw new IllegalArgumentException("median kernel must be odd and positive, got " + kernel);
  }

  /** A body over a range {@code [from, to)}. */
  @FunctionalInterface
  private interface RangeBody {
    void run(int from, int to);
  }

  /** Runs {@code body} over {@code [0, n)} in ranges of at least {@code grain}, in parallel on the pool. */
  private void forEach(int n, int grain, RangeBody body) {
    if (n <= 0) return;
    int tasks = Math.max(1, Math.min(n / grain, pool.getParallelism() * 4));
    if (tasks == 1 || pool.getParallelism() == 1) {
      body.run(0, n);
      return;
    }
    pool.invoke(new Ranges(0, tasks, n, tasks, body));
  }

  /** Splits task indices in halves; task i covers {@code [i n / tasks, (i + 1) n / tasks)}. */
  private static final class Ranges extends RecursiveAction {
    private final int lo;
    private final int hi;
    private final int n;
    private final int tasks;
    private final RangeBody body;

    Ranges(int lo, int hi, int n, int tasks, RangeBody body) {
      this.lo = lo;
      this.hi = hi;
      this.n = n;
      this.tasks = tasks;
      this.body = body;
    }

    @Override
    protected void compute() {
      if (hi - lo == 1) {
        body.run((int) ((long) lo * n / tasks), (int) ((long) hi * n / tasks));
        return;
      }
      int mid = (lo + hi) >>> 1;
      invokeAll(new Ranges(lo, mid, n, tasks, body), new Ranges(mid, hi, n, tasks, body));
    }
  }

  /** A worker thread's buffers and FFT tables, grown on demand and kept between calls. */
  private static final class Scratch {
    private final float[][] floats = new float[3][0];
    private final double[][] doubles = new double[3][0];
    private long[] longs = new long[0];
    private int[] stamps = new int[0];
    int stamp;
    private RealFft realFft;
    private Fft fft;

    float[] floats(int slot, int size) {
      if (floats[slot].length < size) floats[slot] = new float[size];
      return floats[slot];
    }

    double[] doubles(int slot, int size) {
      if (doubles[slot].length < size) doubles[slot] = new double[size];
      return doubles[slot];
    }

    long[] longs(int size) {
      if (longs.length < size) longs = new long[size];
      return longs;
    }

    int[] stamps(int size) {
      if (stamps.length < size) {
        stamps = new int[size];
        stamp = 0;
      }
      return stamps;
    }

    RealFft realFft(int n) {
      if (realFft == null || realFft.size() != n) realFft = new RealFft(n);
      return realFft;
    }

    Fft fft(int n) {
      if (fft == null || fft.size() != n) fft = new Fft(n);
      return fft;
    }
  }
}
