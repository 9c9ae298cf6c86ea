package io.wavegraph.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wavegraph.core.config.FunctionConfigSchema;
import io.wavegraph.core.graph.StepSpec;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One step's configuration as {@code wavegraph compile} writes it ({@code
 * wavegraph.function-config/v1}, see {@code docs/function-config.md}), read from {@code
 * WAVEGRAPH_CONFIG}. A reader refuses another schema and a missing required field, naming it.
 *
 * @param uses the built-in transform, or null when {@code className} is given
 * @param parentOutputs outputs of parents, primary first, where the config names them (an optional
 *     {@code parent_outputs} object, or {@code graph_steps}), else empty
 * @param graphSteps every step of the graph with its parents and outputs, in the graph's order
 *     ({@code graph_steps}; empty when an older compiler wrote the config)
 * @param batch a job's gathering rule ({@code job.batch_size}, {@code job.batch_wait_seconds}), or
 *     null for a function
 */
public record FunctionConfig(
    String graph,
    String step,
    String kind,
    String uses,
    String className,
    Map<String, Object> params,
    String version,
    List<String> parents,
    List<String> children,
    List<String> outputs,
    Map<String, List<String>> parentOutputs,
    Map<String, StepShape> graphSteps,
    String project,
    String region,
    String topicPrefix,
    String selfTopic,
    String deadLetterTopic,
    String inputBucket,
    String inputPrefix,
    String outputBucket,
    String outputPrefix,
    String ledgerDatabase,
    String ledgerCollection,
    int retries,
    Duration timeout,
    String memory,
    StepSpec.Batch batch) {

  public static final String SCHEMA = FunctionConfigSchema.SCHEMA;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Parses the JSON text of one step's configuration. */
  public static FunctionConfig parse(String json) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException("WAVEGRAPH_CONFIG is not JSON: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) throw new IllegalArgumentException("WAVEGRAPH_CONFIG is not a JSON object");
    String schema = text(root, "schema");
    if (!SCHEMA.equals(schema)) {
      throw new IllegalArgumentException("WAVEGRAPH_CONFIG has schema '" + schema + "'; this runtime reads " + SCHEMA);
    }
    JsonNode transform = object(root, "transform");
    String uses = transform.hasNonNull("uses") ? transform.get("uses").asText() : null;
    String cls = transform.hasNonNull("class") ? transform.get("class").asText() : null;
    if ((uses == null) == (cls == null)) throw new IllegalArgumentException("transform needs exactly one of uses, class");
    @SuppressWarnings("unchecked")
    Map<String, Object> params = root.hasNonNull("params") ? JSON.convertValue(root.get("params"), LinkedHashMap.class) : Map.of();
    Map<String, List<String>> parentOutputs = new LinkedHashMap<>();
    if (root.path("parent_outputs").isObject()) {
      root.get("parent_outputs").fields().forEachRemaining(e -> parentOutputs.put(e.getKey(), strings(e.getValue(), "parent_outputs." + e.getKey())));
    }
    Map<String, StepShape> graphSteps = new LinkedHashMap<>();
    if (root.path("graph_steps").isObject()) {
      root.get("graph_steps").fields().forEachRemaining(e -> {
        List<String> from = strings(e.getValue().get("from"), "graph_steps." + e.getKey() + ".from");
        List<String> outs = strings(e.getValue().get("outputs"), "graph_steps." + e.getKey() + ".outputs");
        graphSteps.put(e.getKey(), new StepShape(from, outs));
      });
      for (var e : graphSteps.entrySet()) parentOutputs.putIfAbsent(e.getKey(), e.getValue().outputs());
    }
    JsonNode gcp = object(root, "gcp");
    JsonNode topics = object(root, "topics");
    JsonNode buckets = object(root, "buckets");
    JsonNode ledger = object(root, "ledger");
    return new FunctionConfig(
        text(root, "graph"), text(root, "step"), text(root, "kind"), uses, cls, params, text(root, "version"),
        strings(root.get("parents"), "parents"), strings(root.get("children"), "children"),
        strings(root.get("outputs"), "outputs"), parentOutputs, graphSteps,
        text(gcp, "project"), text(gcp, "region"),
        text(topics, "prefix"), text(topics, "self"), text(topics, "dead_letter"),
        text(buckets, "input"), text(buckets, "input_prefix"), text(buckets, "output"), text(buckets, "output_prefix"),
        text(ledger, "database"), text(ledger, "collection"),
        number(root, "retries"), Duration.ofSeconds(number(root, "timeout_seconds")), text(root, "memory"),
        root.path("job").isObject() ? FunctionConfigSchema.batchRule(f -> optionalNumber(root.get("job"), f)) : null);
  }

  public FunctionConfig {
    params = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(params));
    parents = List.copyOf(parents);
    children = List.copyOf(children);
    outputs = List.copyOf(outputs);
    parentOutputs = Map.copyOf(parentOutputs);
    graphSteps = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(graphSteps));
  }

  /** One step's place in the graph: its parents and its declared outputs, primary first. */
  public record StepShape(List<String> from, List<String> outputs) {
    public StepShape {
      from = List.copyOf(from);
      outputs = List.copyOf(outputs);
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || !v.isTextual()) throw new IllegalArgumentException("WAVEGRAPH_CONFIG: '" + field + "' must be a string");
    return v.asText();
  }

  private static int number(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || !v.canConvertToInt()) throw new IllegalArgumentException("WAVEGRAPH_CONFIG: '" + field + "' must be a number");
    return v.asInt();
  }

  /** A non-negative number, or -1 when the field is absent. */
  private static int optionalNumber(JsonNode node, String field) {
    if (!node.has(field)) return -1;
    int n = number(node, field);
    if (n < 1) throw new IllegalArgumentException("WAVEGRAPH_CONFIG: '" + field + "' must be at least 1, got " + n);
    return n;
  }

  private static JsonNode object(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || !v.isObject()) throw new IllegalArgumentException("WAVEGRAPH_CONFIG: '" + field + "' must be an object");
    return v;
  }

  private static List<String> strings(JsonNode v, String field) {
    if (v == null || !v.isArray()) throw new IllegalArgumentException("WAVEGRAPH_CONFIG: '" + field + "' must be an array of strings");
    List<String> out = new ArrayList<>();
    v.forEach(e -> out.add(e.asText()));
    return out;
  }
}
