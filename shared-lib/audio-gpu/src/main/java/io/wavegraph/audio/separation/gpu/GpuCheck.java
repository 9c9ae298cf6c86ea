package io.wavegraph.audio.separation.gpu;

import io.wavegraph.audio.AudioDecoders;
import io.wavegraph.audio.AudioSource;
import io.wavegraph.audio.SampleFormat;
import io.wavegraph.audio.WavWriter;
import io.wavegraph.audio.separation.SeparationKernels;
import io.wavegraph.audio.steps.SeparateStep;
import io.wavegraph.core.step.Params;
import io.wavegraph.core.step.StepContext;
import io.wavegraph.core.step.StepInput;
import io.wavegraph.core.step.StepOutput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Checks the gpu kernels against the cpu ones on this machine, then times the {@code separate}
 * step with each. Each kernel runs on the cpu kernels' outputs, so it is checked in isolation,
 * with the tolerances of {@code bench/gpu/check_outputs.py} on max |gpu - cpu| / rms(cpu).
 *
 * <pre>java -Dwavegraph.gpu.library=PATH -cp ... io.wavegraph.audio.separation.gpu.GpuCheck DIR [SECONDS...]</pre>
 *
 * DIR receives the generated WAVs and the stems; SECONDS are the durations to time (30 240).
 * Exits 1 when a kernel fails its tolerance.
 */
public final class GpuCheck {
  private static final int RATE = 44100;
  private static final int FFT = 2048;
  private static final int HOP = 512;
  private static final int BINS = FFT / 2 + 1;

  private final SeparationKernels cpu = SeparationKernels.cpu();
  /** A dry run of this check compares the cpu kernels with themselves: -Dwavegraph.gpucheck.kernels=cpu. */
  private static final String UNDER_TEST = System.getProperty("wavegraph.gpucheck.kernels", "gpu");

  private final SeparationKernels gpu = SeparationKernels.named(UNDER_TEST);
  private int failures;

  private GpuCheck() {}

  public static void main(String[] args) throws Exception {
    Path dir = Files.createDirectories(Path.of(args.length > 0 ? args[0] : "gpu-check"));
    List<Integer> durations = new ArrayList<>();
    for (int i = 1; i < args.length; i++) durations.add(Integer.parseInt(args[i]));
    if (durations.isEmpty()) durations = List.of(30, 240);
    GpuCheck check = new GpuCheck();
    System.out.printf("# device: %s; cpu kernels on %d threads%n", UNDER_TEST.equals("gpu") ? GpuSeparationKernels.device() : UNDER_TEST,
        Runtime.getRuntime().availableProcessors());
    check.kernels("random, 10 s stereo", noise(10 * RATE, 7));
    check.kernels("music-like, 30 s stereo", music(30 * RATE));
    System.out.printf("%n# kernel checks: %s%n", check.failures == 0 ? "all PASS" : check.failures + " FAIL");
    check.steps(dir, durations);
    System.exit(check.failures == 0 ? 0 : 1);
  }

  // ---- kernel by kernel ----

  private void kernels(String input, float[][] x) {
    int n = x[0].length;
    int frames = SeparationKernels.frames(n, HOP);
    int cells = frames * BINS;
    System.out.printf("%n## %s: %d frames x %d bins%n%n", input, frames, BINS);
    System.out.println("| kernel | max abs error | max error / RMS | tolerance | result |");
    System.out.println("| --- | ---: | ---: | ---: | --- |");
    float[][] re = new float[2][cells], im = new float[2][cells], mag = new float[2][cells];
    for (int c = 0; c < 2; c++) {
      int ch = c;
      float[] gRe = new float[cells], gIm = new float[cells];
      cpu.stft(x[c], n, FFT, HOP, re[c], im[c]);
      gpu.stft(x[c], n, FFT, HOP, gRe, gIm);
      row("stft re, channel " + c, re[c], gRe, 1e-4);
      row("stft im, channel " + c, im[c], gIm, 1e-4);
      cpu.magnitude(re[c], im[c], cells, mag[c]);
      compare("magnitude, channel " + c, 3e-5, cells, out -> gpu.magnitude(re[ch], im[ch], cells, out), mag[c]);
    }
    float[] harmonic = new float[cells], percussive = new float[cells];
    for (int k : new int[] {17, 31}) {
      cpu.medianAlongTime(mag[0], frames, BINS, k, harmonic);
      compare("median along time, kernel " + k, 1e-6, cells, out -> gpu.medianAlongTime(mag[0], frames, BINS, k, out), harmonic);
      cpu.medianAlongFrequency(mag[0], frames, BINS, k, percussive);
      compare("median along frequency, kernel " + k, 1e-6, cells,
          out -> gpu.medianAlongFrequency(mag[0], frames, BINS, k, out), percussive);
    }
    for (float p : new float[] {2f, 1f, 1.5f}) {
      float[] mask = new float[cells];
      cpu.softMask(harmonic, percussive, cells, p, mask);
      compare("soft mask, power " + p, 1e-6, cells, out -> gpu.softMask(harmonic, percussive, cells, p, out), mask);
    }
    float[] mask = new float[cells];
    cpu.softMask(harmonic, percussive, cells, 2f, mask);
    float[] maskedRe = new float[cells], maskedIm = new float[cells];
    cpu.applyMask(re[0], im[0], mask, cells, maskedRe, maskedIm);
    float[] gRe = new float[cells], gIm = new float[cells];
    gpu.applyMask(re[0], im[0], mask, cells, gRe, gIm);
    row("apply mask re", maskedRe, gRe, 1e-6);
    row("apply mask im", maskedIm, gIm, 1e-6);
    float[] y = new float[n];
    cpu.istft(re[0], im[0], frames, FFT, HOP, y, n);
    compare("istft", 1e-4, n, out -> gpu.istft(re[0], im[0], frames, FFT, HOP, out, n), y);
    cpu.istft(maskedRe, maskedIm, frames, FFT, HOP, y, n);
    compare("istft of the masked", 1e-4, n, out -> gpu.istft(maskedRe, maskedIm, frames, FFT, HOP, out, n), y);

    float[] mean = new float[cells];
    for (int i = 0; i < cells; i++) mean[i] = mag[0][i] / 2 + mag[1][i] / 2;
    float[] sim = new float[frames * frames];
    cpu.similarity(mean, frames, BINS, 0, frames, sim);
    compare("similarity, all rows", 1e-4, frames * frames, out -> gpu.similarity(mean, frames, BINS, 0, frames, out), sim);
    int r0 = frames / 3, rows = frames / 4;
    float[] part = new float[rows * frames];
    cpu.similarity(mean, frames, BINS, r0, rows, part);
    compare("similarity, rows " + r0 + ".." + (r0 + rows), 1e-4, rows * frames,
        out -> gpu.similarity(mean, frames, BINS, r0, rows, out), part);

    int maxRepeats = 100;
    int minDistance = (int) Math.round(1.0 * RATE / HOP);
    for (float minSimilarity : new float[] {0f, 0.9f}) {
      int[] repeats = new int[frames * maxRepeats], counts = new int[frames];
      int[] gRepeats = new int[frames * maxRepeats], gCounts = new int[frames];
      cpu.repeatingFrames(sim, frames, 0, frames, maxRepeats, minDistance, minSimilarity, repeats, counts);
      gpu.repeatingFrames(sim, frames, 0, frames, maxRepeats, minDistance, minSimilarity, gRepeats, gCounts);
      frameSets("repeating frames, min similarity " + minSimilarity, frames, maxRepeats, repeats, counts, gRepeats, gCounts);
      if (minSimilarity == 0f) {
        for (int c = 0; c < 2; c++) {
          float[] model = new float[cells];
          cpu.repeatingModel(mag[c], frames, BINS, 0, frames, maxRepeats, repeats, counts, model);
          int ch = c;
          compare("repeating model, channel " + c, 1e-6, cells,
              out -> gpu.repeatingModel(mag[ch], frames, BINS, 0, frames, maxRepeats, repeats, counts, out), model);
        }
      }
    }
  }

  private interface Run {
    void into(float[] out);
  }

  private void compare(String kernel, double tolerance, int n, Run gpuRun, float[] expected) {
    float[] got = new float[n];
    gpuRun.into(got);
    row(kernel, expected, got, tolerance);
  }

  private void row(String kernel, float[] expected, float[] got, double tolerance) {
    double maxAbs = 0, sum = 0;
    boolean finite = true;
    for (int i = 0; i < expected.length; i++) {
      double e = expected[i];
      sum += e * e;
      if (Double.isFinite(e) && !Float.isFinite(got[i])) finite = false;
      maxAbs = Math.max(maxAbs, Math.abs(got[i] - e));
    }
    double rms = Math.sqrt(sum / expected.length);
    double relative = rms > 0 ? maxAbs / rms : maxAbs == 0 ? 0 : Double.POSITIVE_INFINITY;
    boolean ok = finite && relative <= tolerance;
    if (!ok) failures++;
    System.out.printf("| %s | %.3g | %.3g | %.0e | %s |%n", kernel, maxAbs, relative, tolerance, ok ? "PASS" : "FAIL");
  }

  private void frameSets(String kernel, int frames, int stride, int[] repeats, int[] counts, int[] gRepeats, int[] gCounts) {
    int bad = 0;
    long total = 0;
    for (int t = 0; t < frames; t++) {
      total += counts[t];
      Set<Integer> a = new HashSet<>(), b = new HashSet<>();
      for (int l = 0; l < counts[t]; l++) a.add(repeats[t * stride + l]);
      for (int l = 0; l < Math.min(stride, Math.max(0, gCounts[t])); l++) b.add(gRepeats[t * stride + l]);
      if (counts[t] != gCounts[t] || !a.equals(b)) bad++;
    }
    if (bad > 0) failures++;
    System.out.printf("| %s (mean %.1f per frame) | %d frames differ | %.3g | 0 frames | %s |%n", kernel,
        (double) total / frames, bad, (double) bad / frames, bad == 0 ? "PASS" : "FAIL");
  }

  // ---- the whole step ----

  private void steps(Path dir, List<Integer> durations) throws Exception {
    Path warm = write(dir.resolve("warmup.wav"), music(5 * RATE));
    for (String k : List.of("cpu", UNDER_TEST)) separate(warm, dir.resolve("warmup-" + k), k);
    System.out.printf("%n## separate, method both, fft %d, hop %d (cpu kernels on %d threads)%n%n", FFT, HOP,
        Runtime.getRuntime().availableProcessors());
    System.out.println("| input | kernels | seconds | x real time | max stem difference / RMS |");
    System.out.println("| --- | --- | ---: | ---: | ---: |");
    for (int seconds : durations) {
      Path wav = write(dir.resolve("music-" + seconds + "s.wav"), music(seconds * RATE));
      Map<String, Path> outs = new java.util.LinkedHashMap<>();
      for (String k : List.of("cpu", UNDER_TEST)) {
        Path out = dir.resolve(seconds + "s-" + k + (outs.containsKey(k) ? "-again" : ""));
        long t0 = System.nanoTime();
        separate(wav, out, k);
        double s = (System.nanoTime() - t0) / 1e9;
        String diff = "";
        if (!outs.isEmpty()) {
          StringBuilder d = new StringBuilder();
          for (String stem : List.of("harmonic", "percussive", "vocals", "accompaniment")) {
            double r = stemDifference(outs.get("cpu").resolve(stem + ".wav"), out.resolve(stem + ".wav"));
            d.append(d.length() == 0 ? "" : ", ").append(stem).append(String.format(" %.2e", r));
          }
          diff = d.toString();
        }
        outs.put(k, out);
        System.out.printf("| %d s stereo 44.1 kHz | %s | %.2f | %.1f | %s |%n", seconds, k, s, seconds / s, diff);
      }
    }
  }

  private static void separate(Path wav, Path outDir, String kernels) throws Exception {
    Files.createDirectories(outDir);
    SeparateStep step = new SeparateStep();
    step.configure(new Params(Map.of("method", "both", "kernels", kernels)));
    step.open(new StepContext() {
      @Override
      public String stepName() {
        return "separate";
      }

      @Override
      public String graphName() {
        return "gpu-check";
      }

      @Override
      public Path scratchDir() {
        return outDir;
      }
    });
    StepInput in = StepInput.ofFile(wav);
    StepOutput out = name -> outDir.resolve(name);
    step.process(in, out);
  }

  private static double stemDifference(Path a, Path b) throws Exception {
    float[] x = read(a), y = read(b);
    double maxAbs = 0, sum = 0;
    for (int i = 0; i < x.length; i++) {
      sum += (double) x[i] * x[i];
      maxAbs = Math.max(maxAbs, Math.abs(x[i] - y[i]));
    }
    return maxAbs / Math.sqrt(sum / x.length);
  }

  private static float[] read(Path f) throws Exception {
    try (AudioSource s = AudioDecoders.open(f)) {
      float[] all = new float[(int) (s.frames() * s.channels())];
      float[] block = new float[8192 * s.channels()];
      int at = 0, n;
      while ((n = s.read(block, 8192)) > 0) {
        System.arraycopy(block, 0, all, at, n * s.channels());
        at += n * s.channels();
      }
      return all;
    }
  }

  private static Path write(Path file, float[][] x) throws Exception {
    int n = x[0].length;
    float[] interleaved = new float[2 * n];
    for (int i = 0; i < n; i++) {
      interleaved[2 * i] = x[0][i];
      interleaved[2 * i + 1] = x[1][i];
    }
    try (WavWriter w = WavWriter.create(file, RATE, 2, SampleFormat.FLOAT_32)) {
      w.write(interleaved, n);
    }
    return file;
  }

  // ---- inputs ----

  private static float[][] noise(int n, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    float[][] x = new float[2][n];
    for (int c = 0; c < 2; c++) for (int i = 0; i < n; i++) x[c][i] = (float) (2 * rnd.nextDouble() - 1);
    return x;
  }

  /**
   * Music-like stereo: a chord progression repeating every 8 s, a kick and noise hits every half
   * second, a sung-like gliding line that does not repeat (louder on the left), a little noise.
   */
  static float[][] music(int n) {
    SplittableRandom rnd = new SplittableRandom(3);
    double[][] chords = {{220, 277.2, 329.6}, {196, 246.9, 293.7}, {174.6, 220, 261.6}, {196, 246.9, 329.6}};
    float[][] x = new float[2][n];
    double phase = 0, f = 300, target = 300;
    for (int i = 0; i < n; i++) {
      double t = (double) i / RATE;
      double[] chord = chords[(int) (t / 2) % 4];
      double v = 0;
      for (double f0 : chord) for (int h = 1; h <= 3; h++) v += 0.05 / h * Math.sin(2 * Math.PI * f0 * h * t + h);
      double tb = t % 0.5;
      v += 0.4 * Math.exp(-tb * 20) * Math.sin(2 * Math.PI * 60 * tb);
      if ((i / (RATE / 4)) % 2 == 1) v += 0.2 * Math.exp(-(i % (RATE / 4)) / (0.03 * RATE)) * (2 * rnd.nextDouble() - 1);
      if (i % (RATE / 3) == 0) target = 200 + 300 * rnd.nextDouble();
      f += (target - f) * 0.0005;
      phase += 2 * Math.PI * f * (1 + 0.02 * Math.sin(2 * Math.PI * 5.5 * t)) / RATE;
      double voice = 0;
      for (int h = 1; h <= 5; h++) voice += Math.sin(h * phase) / h;
      voice *= 0.12 * Math.max(0, Math.sin(Math.PI * ((t % 2.3) / 2.3)) - 0.3);
      double hiss = 0.003 * (2 * rnd.nextDouble() - 1);
      x[0][i] = (float) (v + voice + hiss);
      x[1][i] = (float) (0.9 * v + 0.5 * voice - hiss);
    }
    return x;
  }
}
