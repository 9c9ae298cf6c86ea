package io.wavegraph.tfprovider;

import com.fasterxml.jackson.databind.JsonNode;
import io.wavegraph.tfprovider.SchemaModel.Attribute;
import io.wavegraph.tfprovider.SchemaModel.Block;
import io.wavegraph.tfprovider.SchemaModel.NestedBlock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * What the stand-in answers where a provider decides values: a resource plan keeps every configured
 * value and leaves what the provider would compute unknown; a data source read answers plausible
 * known values (one fixed project number, service-agent style e-mails) so plans that depend on them
 * can go on. Values are those of {@link CtyValues}, shaped by a {@link Block}.
 */
final class Planner {
  /** The project number every data source reports; obviously not a real one. */
  static final String PROJECT_NUMBER = "123456789012";

  private final Map<String, Object> providerDefaults;

  /** {@code providerDefaults}: the provider's configured project, region and zone, when known. */
  Planner(Map<String, Object> providerDefaults) {
    this.providerDefaults = providerDefaults;
  }

  /**
   * The planned new state for {@code proposed} (Terraform's merge of configuration and prior state):
   * null stays null (destroy); an unset read-only attribute becomes unknown, and so does an unset id;
   * an unset project, region or zone takes the provider's, as the google provider does.
   */
  Object plan(Block block, Object proposed) {
    return fill(block, proposed, this::unknownFor);
  }

  /** The state a data source read returns: configuration kept, every unset computed value known. */
  Object read(String typeName, Block block, Object config) {
    return fill(block, config, (attr, out) -> knownFor(typeName, attr, out));
  }

  private interface Filler extends BiConsumer<Attribute, Map<String, Object>> {}

  @SuppressWarnings("unchecked")
  private Object fill(Block block, Object value, Filler filler) {
    if (!(value instanceof Map<?, ?> map)) {
      return value; // null or unknown: nothing to fill in
    }
    Map<String, Object> out = new LinkedHashMap<>((Map<String, Object>) map);
    for (Attribute attr : block.attributes().values()) {
      if (out.get(attr.name()) == null && !attr.required()) {
        filler.accept(attr, out);
      }
    }
    for (NestedBlock nested : block.blocks().values()) {
      Object v = out.get(nested.name());
      if (v instanceof List<?> list) {
        List<Object> elems = new ArrayList<>(list.size());
        for (Object e : list) {
          elems.add(fill(nested.block(), e, filler));
        }
        out.put(nested.name(), elems);
      } else if (v instanceof Map<?, ?>) {
        out.put(nested.name(), fill(nested.block(), v, filler));
      }
    }
    return out;
  }

  private void unknownFor(Attribute attr, Map<String, Object> out) {
    Object fromProvider = providerDefaults.get(attr.name());
    if (fromProvider != null) {
      out.put(attr.name(), fromProvider);
    } else if (attr.readOnly() || attr.name().equals("id")) {
      out.put(attr.name(), CtyValues.UNKNOWN);
    }
  }

  private void knownFor(String typeName, Attribute attr, Map<String, Object> out) {
    String name = attr.name();
    Object fromProvider = providerDefaults.get(name);
    if (fromProvider != null) {
      out.put(name, fromProvider);
      return;
    }
    if (!attr.readOnly() && !name.equals("id") && !name.equals("project_id")) {
      return; // optional and unset: null, as the real data source mostly leaves it
    }
    out.put(name, plausible(typeName, name, attr.type(), out));
  }

  private Object plausible(String typeName, String name, JsonNode type, Map<String, Object> object) {
    if (type.isTextual()) {
      switch (type.asText()) {
        case "string":
          if (name.equals("number") || name.endsWith("project_number")) {
            return PROJECT_NUMBER;
          }
          if (name.contains("email")) {
            return "service-" + PROJECT_NUMBER + "@stand-in.iam.gserviceaccount.com";
          }
          if (name.equals("project_id") || name.equals("project")) {
            return providerDefaults.getOrDefault("project", "stand-in-project");
          }
          if (name.equals("id")) {
            Object project = providerDefaults.getOrDefault("project", "stand-in-project");
            return typeName + "/" + project;
          }
          return "stand-in";
        case "number":
          return name.endsWith("number") ? Long.parseLong(PROJECT_NUMBER) : 0L;
        case "bool":
          return Boolean.FALSE;
        default:
          return null; // dynamic
      }
    }
    String kind = type.get(0).asText();
    switch (kind) {
      case "list":
      case "set":
        return new ArrayList<>();
      case "map":
        return new LinkedHashMap<>();
      default:
        return null; // a single object nobody configured: null is what an empty API field gives
    }
  }
}
