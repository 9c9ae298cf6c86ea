package io.wavegraph.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wavegraph.audio.AudioDecoders;
import io.wavegraph.audio.AudioSource;
import io.wavegraph.audio.LoudnessMeter;
import io.wavegraph.audio.LoudnessResult;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "loudness", description = "Measures EBU R128 loudness: integrated, range, maxima, peaks.")
final class AudioLoudnessCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "IN") Path in;
  @Option(names = "--json", description = "One JSON object on stdout.") boolean json;
  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    LoudnessResult r;
    try (AudioSource s = AudioDecoders.open(in)) {
      LoudnessMeter meter = new LoudnessMeter(s.sampleRate(), s.channels());
      float[] buf = new float[8192 * s.channels()];
      int n;
      while ((n = s.read(buf, 8192)) > 0) meter.add(buf, n);
      r = meter.result();
    }
    var out = spec.commandLine().getOut();
    if (json) {
      ObjectNode o = AudioJson.object();
      AudioJson.put(o, "integrated_lufs", r.integratedLufs());
      AudioJson.put(o, "range_lu", r.loudnessRangeLu());
      AudioJson.put(o, "true_peak_dbtp", r.truePeakDbtp());
      AudioJson.put(o, "sample_peak_dbfs", r.samplePeakDbfs());
      AudioJson.put(o, "momentary_max_lufs", r.momentaryMaxLufs());
      AudioJson.put(o, "short_term_max_lufs", r.shortTermMaxLufs());
      AudioJson.print(out, o);
    } else {
      out.printf("integrated %.1f LUFS, range %.1f LU, true peak %.1f dBTP, sample peak %.1f dBFS, "
          + "momentary max %.1f LUFS, short-term max %.1f LUFS%n", r.integratedLufs(), r.loudnessRangeLu(),
          r.truePeakDbtp(), r.samplePeakDbfs(), r.momentaryMaxLufs(), r.shortTermMaxLufs());
      out.flush();
    }
    return Main.OK;
  }
}
