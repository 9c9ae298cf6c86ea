package io.wavegraph.core.port;

import java.time.Instant;
import java.util.Map;

/** What a finished run records: the version, its input fingerprints, its outputs and when. */
public record Completion(
    String version, Map<String, String> inputs, Map<String, String> outputs, Instant finished) {
  public Completion {
    inputs = Map.copyOf(inputs);
    outputs = Map.copyOf(outputs);
  }
}
