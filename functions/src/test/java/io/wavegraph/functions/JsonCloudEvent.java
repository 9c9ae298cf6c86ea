package io.wavegraph.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudevents.CloudEvent;
import io.cloudevents.CloudEventData;
import io.cloudevents.SpecVersion;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Set;

/**
 * A structured-mode CloudEvent read from JSON, as the Functions Framework would hand it to a
 * {@code CloudEventsFunction} (only cloudevents-api is on the classpath, not its JSON format).
 */
final class JsonCloudEvent implements CloudEvent {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final JsonNode root;

  JsonCloudEvent(JsonNode root) {
    this.root = root;
  }

  static JsonCloudEvent fixture(String name) throws IOException {
    try (InputStream in = JsonCloudEvent.class.getResourceAsStream("/events/" + name)) {
      return new JsonCloudEvent(JSON.readTree(in));
    }
  }

  /** This event with {@code data.<field>} replaced. */
  JsonCloudEvent withData(String field, String value) {
    JsonNode copy = root.deepCopy();
    ((com.fasterxml.jackson.databind.node.ObjectNode) copy.get("data")).put(field, value);
    return new JsonCloudEvent(copy);
  }

  /** This event with its data replaced by {@code bytes}, whatever they are (JSON or not). */
  JsonCloudEvent withRawData(byte[] bytes) {
    JsonNode copy = root.deepCopy();
    ((com.fasterxml.jackson.databind.node.ObjectNode) copy).put("data_base64",
        java.util.Base64.getEncoder().encodeToString(bytes));
    ((com.fasterxml.jackson.databind.node.ObjectNode) copy).remove("data");
    return new JsonCloudEvent(copy);
  }

  JsonCloudEvent withId(String id) {
    JsonNode copy = root.deepCopy();
    ((com.fasterxml.jackson.databind.node.ObjectNode) copy).put("id", id);
    return new JsonCloudEvent(copy);
  }

  @Override
  public CloudEventData getData() {
    if (root.has("data_base64")) {
      byte[] raw = java.util.Base64.getDecoder().decode(root.get("data_base64").asText());
      return () -> raw;
    }
    JsonNode d = root.get("data");
    if (d == null) return null;
    byte[] bytes = d.toString().getBytes(StandardCharsets.UTF_8);
    return () -> bytes;
  }

  @Override
  public SpecVersion getSpecVersion() {
    return SpecVersion.parse(root.path("specversion").asText());
  }

  @Override
  public String getId() {
    return root.path("id").asText();
  }

  @Override
  public String getType() {
    return root.path("type").asText();
  }

  @Override
  public URI getSource() {
    return URI.create(root.path("source").asText());
  }

  @Override
  public String getDataContentType() {
    return root.path("datacontenttype").asText(null);
  }

  @Override
  public URI getDataSchema() {
    return null;
  }

  @Override
  public String getSubject() {
    return root.path("subject").asText(null);
  }

  @Override
  public OffsetDateTime getTime() {
    return root.hasNonNull("time") ? OffsetDateTime.parse(root.get("time").asText()) : null;
  }

  @Override
  public Object getAttribute(String name) {
    return root.path(name).asText(null);
  }

  @Override
  public Object getExtension(String name) {
    return null;
  }

  @Override
  public Set<String> getExtensionNames() {
    return Set.of();
  }
}
