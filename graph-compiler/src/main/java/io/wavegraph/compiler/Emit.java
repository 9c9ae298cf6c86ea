package io.wavegraph.compiler;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;

/**
 * Writes data trees as bytes, deterministically: JSON with two-space indentation and LF line ends;
 * YAML in block style with keys in insertion order. The same tree always gives the same bytes.
 */
final class Emit {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectWriter PRETTY = JSON.writer(new DefaultPrettyPrinter()
      .withObjectIndenter(new DefaultIndenter("  ", "\n"))
      .withArrayIndenter(new DefaultIndenter("  ", "\n")));

  private Emit() {}

  static ObjectNode object() {
    return JsonNodeFactory.instance.objectNode();
  }

  static ArrayNode array() {
    return JsonNodeFactory.instance.arrayNode();
  }

  static String json(JsonNode tree) {
    try {
      return PRETTY.writeValueAsString(tree).replace("\" : ", "\": ") + "\n";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String yaml(JsonNode tree) {
    DumpSettings settings = DumpSettings.builder()
        .setDefaultFlowStyle(FlowStyle.BLOCK)
        .setIndent(2)
        .setIndicatorIndent(2)
        .setIndentWithIndicator(true)
        .setWidth(200)
        .setSplitLines(false)
        .build();
    return new Dump(settings).dumpToString(plain(tree));
  }

  /** A tree as plain Java values (ordered maps, lists, strings, numbers, booleans, null). */
  static Object plain(JsonNode n) {
    if (n.isObject()) {
      Map<String, Object> m = new LinkedHashMap<>();
      n.fields().forEachRemaining(e -> m.put(e.getKey(), plain(e.getValue())));
      return m;
    }
    if (n.isArray()) {
      List<Object> l = new ArrayList<>();
      n.forEach(i -> l.add(plain(i)));
      return l;
    }
    if (n.isTextual()) return n.asText();
    if (n.isBoolean()) return n.asBoolean();
    if (n.isIntegralNumber()) return n.asLong();
    if (n.isNumber()) return n.asDouble();
    return null;
  }
}
