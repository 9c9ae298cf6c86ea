package io.wavegraph.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wavegraph.audio.SampleFormat;
import io.wavegraph.audio.WavWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;

/** Runs the CLI in-process and captures what it prints; writes test audio. */
final class CliFixture {
  static final ObjectMapper JSON = new ObjectMapper();

  record Result(int exit, String out, String err) {
    JsonNode json() throws IOException {
      return JSON.readTree(out);
    }
  }

  static Result cli(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    CommandLine cl = Main.commandLine();
    cl.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
    cl.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
    int exit = cl.execute(args);
    return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** A stereo sine at {@code dbfs} peak per channel, 16-bit PCM. */
  static void sine(Path file, int rate, double seconds, double hz, double dbfs) throws IOException {
    Files.createDirectories(file.getParent());
    double amp = Math.pow(10, dbfs / 20);
    int frames = (int) Math.round(rate * seconds);
    try (WavWriter w = WavWriter.create(file, rate, 2, SampleFormat.PCM_24)) {
      float[] buf = new float[2 * 4096];
      for (int start = 0; start < frames; start += 4096) {
        int n = Math.min(4096, frames - start);
        for (int i = 0; i < n; i++) {
          float v = (float) (amp * Math.sin(2 * Math.PI * hz * (start + i) / rate));
          buf[2 * i] = v;
          buf[2 * i + 1] = v;
        }
        w.write(buf, n);
      }
    }
  }

  static Path graph(Path dir, String name, String downsampleParams) throws IOException {
    Path g = dir.resolve(name + ".yaml");
    Files.writeString(g, """
        name: %s
        steps:
          downsample:
            uses: downsample
            params: {%s}
          loudness:
            uses: loudness
            from: [downsample]
        """.formatted(name, downsampleParams));
    return g;
  }

  /** The first channel of an audio file, as floats. */
  static float[] firstChannel(Path file) throws IOException {
    try (io.wavegraph.audio.AudioSource s = io.wavegraph.audio.AudioDecoders.open(file)) {
      float[] out = new float[(int) s.frames()];
      float[] buf = new float[s.channels() * 4096];
      int at = 0;
      int n;
      while ((n = s.read(buf, 4096)) > 0) {
        for (int i = 0; i < n; i++) out[at + i] = buf[i * s.channels()];
        at += n;
      }
      return out;
    }
  }

  private CliFixture() {}

  static PrintStream quiet() {
    return new PrintStream(new ByteArrayOutputStream());
  }
}
