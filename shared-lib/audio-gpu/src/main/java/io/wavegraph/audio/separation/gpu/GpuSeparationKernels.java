package io.wavegraph.audio.separation.gpu;

import io.wavegraph.audio.separation.SeparationKernels;

/**
 * The separation kernels on an NVIDIA GPU ({@code kernels: gpu}), through the JNI library built
 * from {@code src/main/cuda/separation_jni.cu} (see {@code build-native.sh} and {@link
 * CudaLibrary} for where it is looked for).
 *
 * <p>Each call copies its inputs to the device, runs, and copies its outputs back; the device
 * buffers are kept between calls. Calls from several threads are serialised on the one device.
 *
 * <p>Limits, checked before anything runs, each an {@link IllegalArgumentException} naming the
 * parameter: {@code fft} must be {@value #FFT}; median kernels at most {@value #MAX_MEDIAN_KERNEL};
 * {@code maxRepeats} at most {@value #MAX_REPEATS}. A CUDA failure during a call is an {@link
 * IllegalStateException}.
 */
public final class GpuSeparationKernels implements SeparationKernels {
  /** The only FFT size: one 1024-thread block transforms a frame in shared memory. */
  public static final int FFT = 2048;
  /** The longest median filter (the step's own limit). */
  public static final int MAX_MEDIAN_KERNEL = 255;
  /** The most repeating frames per frame (each thread sorts them in its local memory). */
  public static final int MAX_REPEATS = 256;

  private static final int BINS = FFT / 2 + 1;

  GpuSeparationKernels() {}

  /** Registered as {@code gpu}; available when the native library loads and a device answers. */
  public static final class Provider implements SeparationKernels.Provider {
    @Override
    public String name() {
      return "gpu";
    }

    @Override
    public boolean available() {
      return CudaLibrary.status().available();
    }

    @Override
    public String unavailableReason() {
      CudaLibrary.Status s = CudaLibrary.status();
      return s.available() ? "available (" + s.device() + ")" : s.problem();
    }

    /** @throws IllegalArgumentException when it cannot run here, saying why */
    @Override
    public SeparationKernels create() {
      if (!available()) throw new IllegalArgumentException("separation kernels 'gpu' cannot run here: " + unavailableReason());
      return new GpuSeparationKernels();
    }
  }

  /** The device the kernels run on, e.g. "NVIDIA H100 80GB HBM3, compute capability 9.0". */
  public static String device() {
    CudaLibrary.require();
    return CudaLibrary.status().device();
  }

  @Override
  public String name() {
    return "gpu";
  }

  @Override
  public void stft(float[] signal, int samples, int fft, int hop, float[] re, float[] im) {
    checkTransform(fft, hop);
    if (samples < 0) throw new IllegalArgumentException("samples must be >= 0, got " + samples);
    int frames = SeparationKernels.frames(samples, hop);
    need("signal", signal, samples);
    long cells = cells(frames, BINS);
    need("re", re, cells);
    need("im", im, cells);
    CudaLibrary.require();
    cudaStft(signal, samples, hop, re, im);
  }

  @Override
  public void istft(float[] re, float[] im, int frames, int fft, int hop, float[] signal, int samples) {
    checkTransform(fft, hop);
    positive("frames", frames);
    long cells = cells(frames, BINS);
    need("re", re, cells);
    need("im", im, cells);
    need("signal", signal, samples);
    if (samples == 0) return;
    CudaLibrary.require();
    cudaIstft(re, im, frames, hop, signal, samples);
  }

  @Override
  public void magnitude(float[] re, float[] im, int n, float[] mag) {
    need("re", re, n);
    need("im", im, n);
    need("mag", mag, n);
    if (n == 0) return;
    CudaLibrary.require();
    cudaMagnitude(re, im, n, mag);
  }

  @Override
  public void medianAlongTime(float[] in, int frames, int bins, int kernel, float[] out) {
    checkMedian(in, frames, bins, kernel, out);
    CudaLibrary.require();
    cudaMedianAlongTime(in, frames, bins, kernel, out);
  }

  @Override
  public void medianAlongFrequency(float[] in, int frames, int bins, int kernel, float[] out) {
    checkMedian(in, frames, bins, kernel, out);
    CudaLibrary.require();
    cudaMedianAlongFrequency(in, frames, bins, kernel, out);
  }

  @Override
  public void similarity(float[] mag, int frames, int bins, int rowStart, int rows, float[] sim) {
    positive("frames", frames);
    positive("bins", bins);
    checkRows(frames, rowStart, rows);
    need("mag", mag, cells(frames, bins));
    need("sim", sim, cells(rows, frames));
    if (rows == 0) return;
    CudaLibrary.require();
    cudaSimilarity(mag, frames, bins, rowStart, rows, sim);
  }

  @Override
  public void repeatingFrames(
      float[] sim, int frames, int rowStart, int rows, int maxRepeats, int minDistance, float minSimilarity,
      int[] repeats, int[] counts) {
    positive("frames", frames);
    checkRows(frames, rowStart, rows);
    checkRepeats(maxRepeats);
    if (minDistance < 0) throw new IllegalArgumentException("minDistance must be >= 0, got " + minDistance);
    need("sim", sim, cells(rows, frames));
    need("repeats", repeats, cells(rows, maxRepeats));
    need("counts", counts, rows);
    if (rows == 0) return;
    CudaLibrary.require();
    cudaRepeatingFrames(sim, frames, rowStart, rows, maxRepeats, minDistance, minSimilarity, repeats, counts);
  }

  @Override
  public void repeatingModel(
      float[] mag, int frames, int bins, int rowStart, int rows, int maxRepeats, int[] repeats, int[] counts,
      float[] model) {
    positive("frames", frames);
    positive("bins", bins);
    checkRows(frames, rowStart, rows);
    checkRepeats(maxRepeats);
    need("mag", mag, cells(frames, bins));
    need("repeats", repeats, cells(rows, maxRepeats));
    need("counts", counts, rows);
    need("model", model, cells(frames, bins));
    // The device reads these as indices: a wrong one must not read outside the spectrogram.
    for (int r = 0; r < rows; r++) {
      int n = counts[r];
      if (n < 1 || n > maxRepeats) throw new IllegalArgumentException("counts[" + r + "] must be in [1, maxRepeats], got " + n);
      for (int l = 0; l < n; l++) {
        int j = repeats[r * maxRepeats + l];
        if (j < 0 || j >= frames) throw new IllegalArgumentException("repeats[" + (r * maxRepeats + l) + "] is not a frame: " + j);
      }
    }
    if (rows == 0) return;
    CudaLibrary.require();
    cudaRepeatingModel(mag, frames, bins, rowStart, rows, maxRepeats, repeats, counts, model);
  }

  @Override
  public void softMask(float[] target, float[] other, int n, float power, float[] mask) {
    need("target", target, n);
    need("other", other, n);
    need("mask", mask, n);
    if (n == 0) return;
    CudaLibrary.require();
    cudaSoftMask(target, other, n, power, mask);
  }

  @Override
  public void applyMask(float[] re, float[] im, float[] mask, int n, float[] outRe, float[] outIm) {
    need("re", re, n);
    need("im", im, n);
    need("mask", mask, n);
    need("outRe", outRe, n);
    need("outIm", outIm, n);
    if (n == 0) return;
    CudaLibrary.require();
    cudaApplyMask(re, im, mask, n, outRe, outIm);
  }

  private static void checkTransform(int fft, int hop) {
    if (fft != FFT) throw new IllegalArgumentException("fft must be " + FFT + " for the gpu separation kernels, got " + fft);
    if (hop < 1 || hop > fft / 2) throw new IllegalArgumentException("hop must be between 1 and fft/2, got " + hop);
  }

  private static void checkMedian(float[] in, int frames, int bins, int kernel, float[] out) {
    if (kernel < 1 || kernel % 2 == 0) throw new IllegalArgumentException("median kernel must be odd and positive, got " + kernel);
    if (kernel > MAX_MEDIAN_KERNEL) {
      throw new IllegalArgumentException("median kernel must be at most " + MAX_MEDIAN_KERNEL + " for the gpu separation kernels, got " + kernel);
    }
    positive("frames", frames);
    positive("bins", bins);
    need("in", in, cells(frames, bins));
    need("out", out, cells(frames, bins));
  }

  private static void checkRepeats(int maxRepeats) {
    if (maxRepeats < 1 || maxRepeats > MAX_REPEATS) {
      throw new IllegalArgumentException("maxRepeats must be between 1 and " + MAX_REPEATS + " for the gpu separation kernels, got " + maxRepeats);
    }
  }

  private static void checkRows(int frames, int rowStart, int rows) {
    if (rowStart < 0 || rows < 0 || rowStart + (long) rows > frames) {
      throw new IllegalArgumentException("rows [" + rowStart + ", " + (rowStart + (long) rows) + ") are not within the " + frames + " frames");
    }
  }

  private static void positive(String name, int value) {
    if (value < 1) throw new IllegalArgumentException(name + " must be positive, got " + value);
  }

  private static long cells(int a, int b) {
    long n = (long) a * b;
    if (n > Integer.MAX_VALUE) throw new IllegalArgumentException(a + " x " + b + " cells do not fit in an array");
    return n;
  }

  // The native side trusts these lengths: it copies exactly that many values.
  private static void need(String name, float[] a, long n) {
    if (n < 0) throw new IllegalArgumentException(name + ": negative size " + n);
    if (a.length < n) throw new IllegalArgumentException(name + " holds " + a.length + " values, needs " + n);
  }

  private static void need(String name, int[] a, long n) {
    if (n < 0) throw new IllegalArgumentException(name + ": negative size " + n);
    if (a.length < n) throw new IllegalArgumentException(name + " holds " + a.length + " values, needs " + n);
  }

  static native String cudaDevice();

  private static native void cudaStft(float[] signal, int samples, int hop, float[] re, float[] im);

  private static native void cudaIstft(float[] re, float[] im, int frames, int hop, float[] signal, int samples);

  private static native void cudaMagnitude(float[] re, float[] im, int n, float[] mag);

  private static native void cudaMedianAlongTime(float[] in, int frames, int bins, int kernel, float[] out);

  private static native void cudaMedianAlongFrequency(float[] in, int frames, int bins, int kernel, float[] out);

  private static native void cudaSimilarity(float[] mag, int frames, int bins, int rowStart, int rows, float[] sim);

  private static native void cudaRepeatingFrames(
      float[] sim, int frames, int rowStart, int rows, int maxRepeats, int minDistance, float minSimilarity,
      int[] repeats, int[] counts);

  private static native void cudaRepeatingModel(
      float[] mag, int frames, int bins, int rowStart, int rows, int maxRepeats, int[] repeats, int[] counts,
      float[] model);

  private static native void cudaSoftMask(float[] target, float[] other, int n, float power, float[] mask);

  private static native void cudaApplyMask(float[] re, float[] im, float[] mask, int n, float[] outRe, float[] outIm);
}
