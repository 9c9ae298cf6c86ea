package io.wavegraph.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wavegraph.core.port.Delivery;
import io.wavegraph.core.port.Message;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The body of a Pub/Sub push request, as a {@link Delivery}. Both spellings occur in practice
 * ({@code messageId} and {@code message_id}, {@code deliveryAttempt} and {@code
 * delivery_attempt}, ...), so both are read. {@code data} is base64; a missing delivery attempt
 * (a subscription without a dead-letter policy) counts as 1.
 */
public final class PushMessage {
  private static final ObjectMapper JSON = new ObjectMapper();

  private PushMessage() {}

  /** A push body that is not one: retrying it cannot help, so it is acknowledged and reported. */
  public static final class PoisonException extends Exception {
    public PoisonException(String reason, Throwable cause) {
      super(reason, cause);
    }
  }

  /** Parses a push body. */
  public static Delivery parse(byte[] body) throws PoisonException {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (IOException e) {
      throw new PoisonException("push body is not JSON: " + e.getMessage(), e);
    }
    if (root == null || !root.path("message").isObject()) {
      throw new PoisonException("push body has no \"message\" object", null);
    }
    JsonNode m = root.get("message");
    byte[] data;
    try {
      String b64 = field(m, "data", "data");
      data = b64 == null ? new byte[0] : Base64.getDecoder().decode(b64);
    } catch (IllegalArgumentException e) {
      throw new PoisonException("message data is not base64: " + e.getMessage(), e);
    }
    Map<String, String> attributes = new LinkedHashMap<>();
    m.path("attributes").fields().forEachRemaining(e -> attributes.put(e.getKey(), e.getValue().asText()));
    String id = field(m, "messageId", "message_id");
    if (id == null) throw new PoisonException("message has no messageId", null);
    String published = field(m, "publishTime", "publish_time");
    Instant publishTime;
    try {
      publishTime = published == null ? Instant.EPOCH : Instant.parse(published);
    } catch (DateTimeParseException e) {
      throw new PoisonException("bad publishTime " + published, e);
    }
    String attempt = field(root, "deliveryAttempt", "delivery_attempt");
    int n = attempt == null ? 1 : Math.max(1, Integer.parseInt(attempt));
    return new Delivery(id, new Message(data, attributes), n, publishTime);
  }

  private static String field(JsonNode node, String camel, String snake) {
    JsonNode v = node.has(camel) ? node.get(camel) : node.get(snake);
    return v == null || v.isNull() ? null : v.asText();
  }
}
