package io.wavegraph.audio.steps;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wavegraph.audio.AudioSource;
import io.wavegraph.audio.tempo.TempoResult;
import io.wavegraph.audio.tempo.TempoTracker;
import io.wavegraph.core.step.BadParameterException;
import io.wavegraph.core.step.Params;
import io.wavegraph.core.step.Step;
import io.wavegraph.core.step.StepInput;
import io.wavegraph.core.step.StepOutput;
import java.nio.file.Files;
import java.util.List;

/**
 * {@code tempo}: global tempo and beat times of one track ({@link TempoTracker}). Output: {@code
 * json}, one object: {@code bpm} (null when the track has no regular pulse, e.g. silence),
 * {@code confidence} in [0, 1], {@code beats} (seconds, ascending, 3 decimals; empty without a
 * tempo).
 */
public final class TempoStep implements Step {
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
    // No parameters: the tracker chooses the metrical level itself.
  }

  @Override
  public void process(StepInput in, StepOutput out) throws Exception {
    String name = in.name();
    TempoResult r;
    try (AudioSource source = Decoding.open(in.file(), name)) {
      TempoTracker tracker = new TempoTracker(source.sampleRate(), source.channels());
      Decoding.readAll(source, name, tracker::add);
      r = tracker.result();
    }
    ObjectNode o = JSON.createObjectNode();
    if (r.hasTempo()) o.put("bpm", round(r.bpm(), 2));
    else o.putNull("bpm");
    o.put("confidence", round(r.confidence(), 3));
    ArrayNode beats = o.putArray("beats");
    for (double t : r.beats()) beats.add(round(t, 3));
    Files.write(out.file("json"), JSON.writeValueAsBytes(o));
  }

  private static double round(double v, int digits) {
    double scale = Math.pow(10, digits);
    return Math.round(v * scale) / scale;
  }
}
