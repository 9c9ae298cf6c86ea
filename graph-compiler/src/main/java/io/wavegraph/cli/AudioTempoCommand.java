package io.wavegraph.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wavegraph.audio.AudioDecoders;
import io.wavegraph.audio.AudioSource;
import io.wavegraph.audio.tempo.TempoResult;
import io.wavegraph.audio.tempo.TempoTracker;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "tempo", description = "Estimates the global tempo (BPM) and the beat times.")
final class AudioTempoCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "IN") Path in;
  @Option(names = "--json", description = "One JSON object on stdout: bpm (null without a pulse), confidence, beats.") boolean json;
  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    TempoResult r;
    try (AudioSource s = AudioDecoders.open(in)) {
      r = TempoTracker.analyze(s);
    }
    var out = spec.commandLine().getOut();
    if (json) {
      ObjectNode o = AudioJson.object();
      AudioJson.put(o, "bpm", r.hasTempo() ? Math.round(r.bpm() * 100) / 100.0 : Double.NaN);
      AudioJson.put(o, "confidence", Math.round(r.confidence() * 1000) / 1000.0);
      ArrayNode beats = o.putArray("beats");
      for (double t : r.beats()) beats.add(Math.round(t * 1000) / 1000.0);
      AudioJson.print(out, o);
    } else if (r.hasTempo()) {
      out.printf("%.2f BPM, confidence %.2f, %d beats%n", r.bpm(), r.confidence(), r.beats().length);
      out.flush();
    } else {
      out.printf("no regular pulse found%n");
      out.flush();
    }
    return Main.OK;
  }
}
