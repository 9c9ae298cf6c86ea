package io.wavegraph.tfprovider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import tfplugin6.Tfplugin6.GetProviderSchema;
import tfplugin6.Tfplugin6.Schema;

/**
 * The provider's schema as the planner needs it: per resource and data source type, a block of
 * attributes (with their type constraint, in Terraform's JSON form) and nested blocks. The build
 * reads the JSON that {@code schema/extract.js} writes from {@code @cdktf/provider-google} and
 * stores the protocol's GetProviderSchema answer ({@link SchemaCompiler}); the provider loads that
 * answer (tens of milliseconds, where the JSON takes a second) and converts a type's block only when
 * a request names it.
 */
final class SchemaModel {
  static final String RESOURCE = "google-schema.pb";

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

  /** The schema as read from the extractor's JSON: everything converted at once (build time). */
  record Parsed(Block provider, Map<String, Block> resources, Map<String, Block> dataSources) {}

  final GetProviderSchema.Response response;
  final Block provider;
  private final Map<String, Block> resources = new ConcurrentHashMap<>();
  private final Map<String, Block> dataSources = new ConcurrentHashMap<>();

  private SchemaModel(GetProviderSchema.Response response) {
    this.response = response;
    this.provider = fromProto(response.getProvider().getBlock());
  }

  /** The schema built into this jar, or an exception saying how to build it in. */
  static SchemaModel load() throws IOException {
    try (InputStream in = SchemaModel.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IOException("this build of the stand-in provider carries no google provider schema: run "
            + "`npm ci --prefix tools/hcl-check` (it installs @cdktf/provider-google 16.12.1) and rebuild "
            + "tools/terraform-provider with Maven");
      }
      return new SchemaModel(GetProviderSchema.Response.parseFrom(in));
    }
  }

  /** The resource type's block, or null when the provider has no such resource. */
  Block resource(String type) {
    Schema s = response.getResourceSchemasMap().get(type);
    return s == null ? null : resources.computeIfAbsent(type, t -> fromProto(s.getBlock()));
  }

  /** The data source's block, or null when the provider has no such data source. */
  Block dataSource(String type) {
    Schema s = response.getDataSourceSchemasMap().get(type);
    return s == null ? null : dataSources.computeIfAbsent(type, t -> fromProto(s.getBlock()));
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private static Block fromProto(Schema.Block b) {
    Map<String, Attribute> attrs = new LinkedHashMap<>();
    for (Schema.Attribute a : b.getAttributesList()) {
      JsonNode type;
      try {
        type = JSON.readTree(a.getType().toByteArray());
      } catch (IOException e) {
        throw new IllegalStateException("bad type of " + a.getName(), e);
      }
      // Optional attributes are served as optional and computed (see ProtoSchema): optional wins.
      attrs.put(a.getName(), new Attribute(a.getName(), type, a.getRequired(), a.getOptional(), a.getComputed() && !a.getOptional()));
    }
    Map<String, NestedBlock> nested = new LinkedHashMap<>();
    for (Schema.NestedBlock n : b.getBlockTypesList()) {
      Nesting nesting = switch (n.getNesting()) {
        case SINGLE -> Nesting.SINGLE;
        case SET -> Nesting.SET;
        default -> Nesting.LIST;
      };
      nested.put(n.getTypeName(), new NestedBlock(n.getTypeName(), nesting, (int) n.getMinItems(), (int) n.getMaxItems(), fromProto(n.getBlock())));
    }
    return new Block(attrs, nested);
  }

  static Parsed parse(JsonNode root) {
    return new Parsed(block(root.get("provider")), blocks(root.get("resources")), blocks(root.get("data_sources")));
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
