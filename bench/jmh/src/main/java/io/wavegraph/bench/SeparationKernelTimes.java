package io.wavegraph.bench;

import io.wavegraph.audio.separation.SeparationKernels;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The CPU separation kernels timed like {@code bench/gpu/separation_kernels.cu} times the CUDA
 * ones, on the same sizes (30 s stereo, 44.1 kHz, fft 2048, hop 512): a warm-up, then {@code reps}
 * runs, printing the median as {@code kernel=<name> cpu_ms=<ms>}, one line per kernel, for {@code
 * bench/gpu/compare.sh}. Uses every core (the common fork-join pool). With {@code --dump DIR} it
 * first writes the input and every kernel's output to {@code DIR} ({@link SeparationOutputs}), for
 * the value-by-value check against the CUDA kernels; without it nothing is written.
 *
 * <p>Usage: {@code java -cp bench/jmh/target/benchmarks.jar io.wavegraph.bench.SeparationKernelTimes [reps] [--dump DIR]}
 */
public final class SeparationKernelTimes {
  private SeparationKernelTimes() {}

  public static void main(String[] args) throws IOException {
    int reps = 5;
    Path dump = null;
    for (int a = 0; a < args.length; a++) {
      if (args[a].equals("--dump") && a + 1 < args.length) dump = Path.of(args[++a]);
      else reps = Integer.parseInt(args[a]);
    }
    SeparationKernels k = SeparationKernels.cpu();
    SeparationInput in = new SeparationInput(k);
    if (dump != null) {
      SeparationOutputs.write(k, in, dump);
      System.out.println("# outputs written to " + dump);
    }
    int s = SeparationInput.SAMPLES;
    int fft = SeparationInput.FFT;
    int hop = SeparationInput.HOP;
    Map<String, Runnable> kernels = new LinkedHashMap<>();
    kernels.put("stft", () -> {
      for (int c = 0; c < 2; c++) k.stft(in.signal[c], s, fft, hop, in.out, in.out2);
    });
    kernels.put("magnitude", () -> {
      for (int c = 0; c < 2; c++) k.magnitude(in.re[c], in.im[c], in.cells, in.out);
    });
    kernels.put("median_time", () -> {
      for (int c = 0; c < 2; c++) k.medianAlongTime(in.magnitude[c], in.frames, in.bins, SeparationInput.KERNEL, in.out);
    });
    kernels.put("median_freq", () -> {
      for (int c = 0; c < 2; c++) k.medianAlongFrequency(in.magnitude[c], in.frames, in.bins, SeparationInput.KERNEL, in.out);
    });
    kernels.put("similarity", () -> k.similarity(in.mean, in.frames, in.bins, 0, in.frames, in.sim));
    kernels.put("repeating_frames", () -> k.repeatingFrames(
        in.sim, in.frames, 0, in.frames, SeparationInput.MAX_REPEATS, SeparationInput.MIN_DISTANCE, 0f, in.repeats, in.counts));
    kernels.put("repeating_model", () -> {
      for (int c = 0; c < 2; c++) {
        k.repeatingModel(in.magnitude[c], in.frames, in.bins, 0, in.frames, SeparationInput.MAX_REPEATS, in.repeats, in.counts, in.out);
      }
    });
    kernels.put("soft_mask", () -> {
      for (int c = 0; c < 2; c++) k.softMask(in.magnitude[c], in.magnitude[1 - c], in.cells, 2f, in.mask);
    });
    kernels.put("apply_mask", () -> {
      for (int c = 0; c < 2; c++) k.applyMask(in.re[c], in.im[c], in.mask, in.cells, in.out, in.out2);
    });
    kernels.put("istft", () -> {
      for (int c = 0; c < 2; c++) k.istft(in.re[c], in.im[c], in.frames, fft, hop, in.samplesOut, s);
    });
    System.out.printf("# 30 s stereo 44.1 kHz, fft %d, hop %d, %d frames x %d bins, %d threads, median of %d%n",
        fft, hop, in.frames, in.bins, Runtime.getRuntime().availableProcessors(), reps);
    for (Map.Entry<String, Runnable> e : kernels.entrySet()) {
      for (int i = 0; i < 3; i++) e.getValue().run();
      double[] ms = new double[reps];
      for (int i = 0; i < reps; i++) {
        long t0 = System.nanoTime();
        e.getValue().run();
        ms[i] = (System.nanoTime() - t0) / 1e6;
      }
      Arrays.sort(ms);
      System.out.printf("kernel=%s cpu_ms=%.3f%n", e.getKey(), ms[reps / 2]);
    }
    // The same check as the CUDA program prints, to see that both chose alike.
    double repeats = 0;
    for (int c : in.counts) repeats += c;
    System.out.printf("# check: mean repeating frames %.2f%n", repeats / in.frames);
  }
}
