package io.wavegraph.audio.steps;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wavegraph.audio.AudioSource;
import io.wavegraph.audio.LoudnessMeter;
import io.wavegraph.audio.LoudnessResult;
import io.wavegraph.core.step.BadParameterException;
import io.wavegraph.core.step.Params;
import io.wavegraph.core.step.Step;
import io.wavegraph.core.step.StepInput;
import io.wavegraph.core.step.StepOutput;
import java.nio.file.Files;
import java.util.List;

/**
 * {@code loudness}: ITU-R BS.1770-4 / EBU R128 measurement of one track: integrated loudness
 * (gated), loudness range (EBU Tech 3342), momentary and short-term maxima, sample and true peak.
 * Output: {@code json}, one object; values that do not exist (the loudness of silence) are null.
 */
public final class LoudnessStep implements Step {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @Override
  public String version() {
    return "1";
  }

  @Override
  public List<String> outputs() {
    return List.of("json");
  }

  @Override
  public void configure(Params params) throws BadParameterException {
    // No parameters: the measurement is defined by the standards.
  }

  @Override
  public void process(StepInput in, StepOutput out) throws Exception {
    String name = in.name();
    try (AudioSource source = Decoding.open(in.file(), name)) {
      LoudnessMeter meter = new LoudnessMeter(source.sampleRate(), source.channels());
      long frames = Decoding.readAll(source, name, meter::add);
      LoudnessResult r = meter.result();
      ObjectNode o = JSON.createObjectNode();
      put(o, "integrated_lufs", r.integratedLufs());
      put(o, "range_lu", r.loudnessRangeLu());
      put(o, "momentary_max_lufs", r.momentaryMaxLufs());
      put(o, "short_term_max_lufs", r.shortTermMaxLufs());
      put(o, "sample_peak_dbfs", r.samplePeakDbfs());
      put(o, "true_peak_dbtp", r.truePeakDbtp());
      o.put("duration_seconds", round((double) frames / source.sampleRate(), 3));
      o.put("sample_rate", source.sampleRate());
      o.put("channels", source.channels());
      Files.write(out.file("json"), JSON.writeValueAsBytes(o));
    }
  }

  private static void put(ObjectNode o, String key, double v) {
    if (Double.isFinite(v)) o.put(key, round(v, 2));
    else o.putNull(key);
  }

  private static double round(double v, int digits) {
    double scale = Math.pow(10, digits);
    return Math.round(v * scale) / scale;
  }
}
