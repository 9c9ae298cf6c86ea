package io.wavegraph.bench;

import io.wavegraph.audio.spectral.FloatMatrix;
import io.wavegraph.audio.spectral.MelFilterbank;
import io.wavegraph.audio.spectral.Spectrograms;
import io.wavegraph.audio.spectral.StftParams;
import io.wavegraph.audio.tempo.TempoResult;
import io.wavegraph.audio.tempo.TempoTracker;
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
 * Tempo tracking and the mel spectrogram on 10 s of music-like signal (milliseconds per 10 s of
 * audio: x real time = 10000 / score).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class FeatureKernels {
  float[] stereo44k;
  float[] mono22k;
  MelFilterbank bank;

  @Setup(Level.Trial)
  public void setUp() {
    stereo44k = Signals.music(44100, 441000);
    float[] m = Signals.music(22050, 220500);
    mono22k = new float[220500];
    for (int i = 0; i < mono22k.length; i++) mono22k[i] = m[2 * i];
    bank = MelFilterbank.create(22050, 2048, 128, 0, 11025, io.wavegraph.audio.spectral.MelScale.SLANEY, true);
  }

  @Benchmark
  public TempoResult tempo44kStereo() {
    TempoTracker t = new TempoTracker(44100, 2);
    for (int start = 0; start < 441000; start += 8192) {
      int n = Math.min(8192, 441000 - start);
      float[] block = java.util.Arrays.copyOfRange(stereo44k, 2 * start, 2 * (start + n));
      t.add(block, n);
    }
    return t.result();
  }

  @Benchmark
  public FloatMatrix mel22kMono() {
    return Spectrograms.mel(mono22k, StftParams.DEFAULT, bank);
  }
}
