package io.wavegraph.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;

/** One JSON object per command on stdout, with non-finite numbers written as null. */
final class AudioJson {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private AudioJson() {}

  static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  static void put(ObjectNode o, String key, double v) {
    if (Double.isFinite(v)) o.put(key, v);
    else o.putNull(key);
  }

  static void print(PrintWriter out, ObjectNode o) {
    try {
      out.println(MAPPER.writeValueAsString(o));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    out.flush();
  }
}
