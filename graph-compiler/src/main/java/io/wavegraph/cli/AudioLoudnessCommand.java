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

  @Option(names = "--series", description = "With --json: add momentary_series and short_term_series, "
      + "[end time s, LUFS] every 100 ms.")
  boolean series;
  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    LoudnessResult r;
    double[] momentary;
    double[] shortTerm;
    try (AudioSource s = AudioDecoders.open(in)) {
      LoudnessMeter meter = new LoudnessMeter(s.sampleRate(), s.channels());
      float[] buf = new float[8192 * s.channels()];
      int n;
      while ((n = s.read(buf, 8192)) > 0) meter.add(buf, n);
      r = meter.result();
      momentary = meter.momentarySeries();
      shortTerm = meter.shortTermSeries();
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
      if (series) {
        putSeries(o.putArray("momentary_series"), momentary, 0.4);
        putSeries(o.putArray("short_term_series"), shortTerm, 3.0);
      }
      AudioJson.print(out, o);
    } else {
      out.printf("integrated %.1f LUFS, range %.1f LU, true peak %.1f dBTP, sample peak %.1f dBFS, "
          + "momentary max %.1f LUFS, short-term max %.1f LUFS%n", r.integratedLufs(), r.loudnessRangeLu(),
          r.truePeakDbtp(), r.samplePeakDbfs(), r.momentaryMaxLufs(), r.shortTermMaxLufs());
      out.flush();
    }
    return Main.OK;
  }

  private static void putSeries(com.fasterxml.jackson.databind.node.ArrayNode a, double[] lufs, double firstEnd) {
    for (int i = 0; i < lufs.length; i++) {
      var pair = a.addArray();
      pair.add(Math.round((firstEnd + 0.1 * i) * 1000) / 1000.0);
      if (Double.isFinite(lufs[i])) pair.add(lufs[i]);
      else pair.addNull();
    }
  }
}
