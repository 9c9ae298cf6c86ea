package io.wavegraph.bench;

import io.wavegraph.audio.separation.Hpss;
import io.wavegraph.audio.separation.Mixture;
import io.wavegraph.audio.separation.RepetSim;
import io.wavegraph.audio.separation.SeparationKernels;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The CPU separation kernels on 30 s of stereo 44.1 kHz (fft 2048, hop 512), in milliseconds per
 * call over both channels (the similarity once, on their mean), and the two whole methods (x real
 * time = 30000 / score). Run: {@code java -jar bench/jmh/target/benchmarks.jar SeparationKernelsBench}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class SeparationKernelsBench {
  final SeparationKernels k = SeparationKernels.cpu();
  SeparationInput in;

  @Setup(Level.Trial)
  public void setUp() {
    in = new SeparationInput(k);
  }

  @Benchmark
  public float[] stft() {
    for (int c = 0; c < 2; c++) k.stft(in.signal[c], SeparationInput.SAMPLES, SeparationInput.FFT, SeparationInput.HOP, in.out, in.out2);
    return in.out;
  }

  @Benchmark
  public float[] istft() {
    for (int c = 0; c < 2; c++) k.istft(in.re[c], in.im[c], in.frames, SeparationInput.FFT, SeparationInput.HOP, in.samplesOut, SeparationInput.SAMPLES);
    return in.samplesOut;
  }

  @Benchmark
  public float[] magnitude() {
    for (int c = 0; c < 2; c++) k.magnitude(in.re[c], in.im[c], in.cells, in.out);
    return in.out;
  }

  @Benchmark
  public float[] medianTime() {
    for (int c = 0; c < 2; c++) k.medianAlongTime(in.magnitude[c], in.frames, in.bins, SeparationInput.KERNEL, in.out);
    return in.out;
  }

  @Benchmark
  public float[] medianFreq() {
    for (int c = 0; c < 2; c++) k.medianAlongFrequency(in.magnitude[c], in.frames, in.bins, SeparationInput.KERNEL, in.out);
    return in.out;
  }

  @Benchmark
  public float[] similarity() {
    k.similarity(in.mean, in.frames, in.bins, 0, in.frames, in.sim);
    return in.sim;
  }

  @Benchmark
  public int[] repeatingFrames() {
    k.repeatingFrames(in.sim, in.frames, 0, in.frames, SeparationInput.MAX_REPEATS, SeparationInput.MIN_DISTANCE, 0f, in.repeats, in.counts);
    return in.counts;
  }

  @Benchmark
  public float[] repeatingModel() {
    for (int c = 0; c < 2; c++) {
      k.repeatingModel(in.magnitude[c], in.frames, in.bins, 0, in.frames, SeparationInput.MAX_REPEATS, in.repeats, in.counts, in.out);
    }
    return in.out;
  }

  @Benchmark
  public float[] softMask() {
    for (int c = 0; c < 2; c++) k.softMask(in.magnitude[c], in.magnitude[1 - c], in.cells, 2f, in.mask);
    return in.mask;
  }

  @Benchmark
  public float[] applyMask() {
    for (int c = 0; c < 2; c++) k.applyMask(in.re[c], in.im[c], in.mask, in.cells, in.out, in.out2);
    return in.out;
  }

  @Benchmark
  public float[][][] hpssWhole() {
    return new Hpss(Hpss.Settings.DEFAULT).separate(mixture());
  }

  @Benchmark
  public float[][][] repetSimWhole() {
    return new RepetSim(RepetSim.Settings.DEFAULT).separate(mixture());
  }

  private Mixture mixture() {
    return Mixture.analyse(k, in.signal, SeparationInput.SAMPLES, SeparationInput.RATE, SeparationInput.FFT, SeparationInput.HOP);
  }
}
