package io.wavegraph.bench;

import io.wavegraph.audio.AudioDecoders;
import io.wavegraph.audio.AudioSource;
import io.wavegraph.audio.LoudnessMeter;
import io.wavegraph.audio.Resampler;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The hot audio kernels on 10 s of 44.1 kHz stereo music-like signal. Scores are in
 * milliseconds per 10 s of audio: x real time = 10000 / score.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class AudioKernels {
  static final int RATE = 44100;
  static final int FRAMES = RATE * 10;

  @Param({"22050", "16000"})
  int outRate;

  float[] stereo;
  float[] out;
  byte[] wav;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    stereo = Signals.music(RATE, FRAMES);
    wav = Signals.wav16(stereo, RATE);
    out = new float[2 * (FRAMES + 8192)];
  }

  @Benchmark
  public int resampleVeryHigh() {
    Resampler r = Resampler.create(RATE, outRate, 2, Resampler.Quality.VERY_HIGH);
    int n = 0;
    float[] block = new float[2 * 4096];
    float[] res = new float[2 * r.maxOutputFrames(4096)];
    for (int start = 0; start < FRAMES; start += 4096) {
      int k = Math.min(4096, FRAMES - start);
      System.arraycopy(stereo, 2 * start, block, 0, 2 * k);
      n += r.process(block, k, res);
    }
    int m;
    while ((m = r.flush(res)) > 0) n += m;
    return n;
  }

  @Benchmark
  public double loudness() {
    LoudnessMeter meter = new LoudnessMeter(RATE, 2);
    for (int start = 0; start < FRAMES; start += 8192) {
      int k = Math.min(8192, FRAMES - start);
      float[] block = java.util.Arrays.copyOfRange(stereo, 2 * start, 2 * (start + k));
      meter.add(block, k);
    }
    return meter.result().integratedLufs();
  }

  @Benchmark
  public long decodeWav16() throws IOException {
    long n = 0;
    try (AudioSource s = AudioDecoders.open(new ByteArrayInputStream(wav), "bench.wav")) {
      float[] buf = new float[2 * 8192];
      int k;
      while ((k = s.read(buf, 8192)) > 0) n += k;
    }
    return n;
  }
}
