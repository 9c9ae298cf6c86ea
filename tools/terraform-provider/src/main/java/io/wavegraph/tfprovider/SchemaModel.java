package io.wavegraph.tfprovider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The provider's schema as the planner needs it: per resource and data source type, a block of
 * attributes (with their type constraint, in Terraform's JSON form) and nested blocks. Read from the
 * JSON that {@code schema/extract.js} writes from {@code @cdktf/provider-google} at build time.
 */
final class SchemaModel {
  static final String RESOURCE = "google-schema.json";

  enum Nesting { SINGLE, LIST, SET }

  /** Whether an attribute is set by the user, may be, or is decided by the provider. */
  record Attribute(String name, JsonNode type, boolean required, boolean optional, boolean computed) {
    /** Read-only: Terraform refuses a value for it in configuration. */
    boolean readOnly() {
      return computed && !optional && !required;
    }
  }

  record NestedBlock(String name, Nesting nesting, int minItems, int maxItems, Block block) {}

  record Block(Map<String, Attribute> attributes, Map<String, NestedBlock> blocks) {}

  final Block provider;
  final Map<String, Block> resources;
  final Map<String, Block> dataSources;

  private SchemaModel(Block provider, Map<String, Block> resources, Map<String, Block> dataSources) {
    this.provider = provider;
    this.resources = resources;
    this.dataSources = dataSources;
  }

  /** The schema built into this jar, or an exception saying how to build it in. */
  static SchemaModel load() throws IOException {
    try (InputStream in = SchemaModel.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IOException("this build of the stand-in provider carries no google provider schema: run "
            + "`npm ci --prefix tools/hcl-check` (it installs @cdktf/provider-google 16.12.1) and rebuild "
            + "tools/terraform-provider with Maven");
      }
      return parse(new ObjectMapper().readTree(in));
    }
  }

  static SchemaModel parse(JsonNode root) {
    return new SchemaModel(block(root.get("provider")), blocks(root.get("resources")), blocks(root.get("data_sources")));
  }

  private static Map<String, Block> blocks(JsonNode node) {
    Map<String, Block> out = new LinkedHashMap<>();
    node.fields().forEachRemaining(e -> out.put(e.getKey(), block(e.getValue())));
    return out;
  }

  private static Block block(JsonNode node) {
    Map<String, Attribute> attrs = new LinkedHashMap<>();
    node.get("attributes").fields().forEachRemaining(e -> {
      JsonNode a = e.getValue();
      attrs.put(e.getKey(), new Attribute(e.getKey(), a.get("type"), a.path("required").asBoolean(),
          a.path("optional").asBoolean(), a.path("computed").asBoolean()));
    });
    Map<String, NestedBlock> nested = new LinkedHashMap<>();
    node.get("blocks").fields().forEachRemaining(e -> {
      JsonNode b = e.getValue();
      nested.put(e.getKey(), new NestedBlock(e.getKey(), Nesting.valueOf(b.get("nesting").asText().toUpperCase()),
          b.get("min").asInt(), b.get("max").asInt(), block(b.get("block"))));
    });
    return new Block(attrs, nested);
  }
}
