package io.wavegraph.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wavegraph.audio.AudioDecoders;
import io.wavegraph.audio.AudioSource;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "info", description = "Prints a file's format: rate, channels, bits, frames, seconds.")
final class AudioInfoCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "IN") Path in;
  @Option(names = "--json", description = "One JSON object on stdout.") boolean json;
  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    try (AudioSource s = AudioDecoders.open(in)) {
      var out = spec.commandLine().getOut();
      if (json) {
        ObjectNode o = AudioJson.object();
        o.put("sample_rate", s.sampleRate());
        o.put("channels", s.channels());
        o.put("bits", s.bitsPerSample());
        o.put("frames", s.frames());
        if (s.frames() >= 0) o.put("seconds", (double) s.frames() / s.sampleRate());
        AudioJson.print(out, o);
      } else {
        out.printf("%s: %d Hz, %d channel(s), %d bit, %s%n", in, s.sampleRate(), s.channels(), s.bitsPerSample(),
            s.frames() < 0 ? "length unknown" : String.format("%d frames (%.3f s)", s.frames(), (double) s.frames() / s.sampleRate()));
        out.flush();
      }
    }
    return Main.OK;
  }
}
