package io.wavegraph.bench;

import io.wavegraph.audio.AudioDecoders;
import io.wavegraph.audio.AudioSource;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * FLAC decoding (to float, MD5 checked) of 10 s of 44.1 kHz stereo 16-bit, encoded by the
 * reference encoder ({@code flac -5}, as bench/catalog.sh makes its FLAC set): milliseconds per
 * 10 s of audio. Needs the {@code flac} command (Debian package flac); its setup fails naming it
 * when it is missing, so run {@code AudioKernels} alone on a machine without it.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class FlacKernels {
  static final int RATE = 44100;

  byte[] flac;
  float[] buf = new float[2 * 8192];

  @Setup(Level.Trial)
  public void setUp() throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("flac-bench");
    Path wav = dir.resolve("in.wav");
    Path out = dir.resolve("in.flac");
    Files.write(wav, Signals.wav16(Signals.music(RATE, RATE * 10), RATE));
    Process p;
    try {
      p = new ProcessBuilder("flac", "-s", "-f", "-5", "-o", out.toString(), wav.toString()).inheritIO().start();
    } catch (IOException e) {
      throw new IOException("FlacKernels needs the flac command (apt-get install flac)", e);
    }
    if (p.waitFor() != 0) throw new IOException("flac -5 failed on " + wav);
    flac = Files.readAllBytes(out);
    Files.delete(wav);
    Files.delete(out);
    Files.delete(dir);
  }

  @Benchmark
  public long decodeFlac16() throws IOException {
    long n = 0;
    try (AudioSource s = AudioDecoders.open(new ByteArrayInputStream(flac), "bench.flac")) {
      int k;
      while ((k = s.read(buf, 8192)) > 0) n += k;
    }
    return n;
  }
}
