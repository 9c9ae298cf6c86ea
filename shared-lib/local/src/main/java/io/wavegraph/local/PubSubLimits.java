package io.wavegraph.local;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.wavegraph.core.port.Message;
import java.util.Map;

/**
 * Pub/Sub's limits on a published message, enforced by the in-process bus so that a graph which
 * runs locally does not fail on its first message in the cloud.
 */
final class PubSubLimits {
  /** The largest message: data plus attribute keys and values, in bytes (Pub/Sub: 10 MB). */
  static final int MAX_MESSAGE_BYTES = 10_000_000;
  static final int MAX_ATTRIBUTES = 100;
  static final int MAX_KEY_BYTES = 256;
  static final int MAX_VALUE_BYTES = 1024;

  private PubSubLimits() {}

  /** @throws IllegalArgumentException naming the limit the message breaks */
  static void check(String topic, Message message) {
    long size = message.data().length;
    Map<String, String> attrs = message.attributes();
    if (size == 0 && attrs.isEmpty()) {
      throw new IllegalArgumentException("message to " + topic + " has neither data nor attributes");
    }
    if (attrs.size() > MAX_ATTRIBUTES) {
      throw new IllegalArgumentException("message to " + topic + " has " + attrs.size()
          + " attributes; Pub/Sub allows " + MAX_ATTRIBUTES);
    }
    for (Map.Entry<String, String> a : attrs.entrySet()) {
      int k = a.getKey().getBytes(UTF_8).length;
      int v = a.getValue().getBytes(UTF_8).length;
      if (k == 0 || k > MAX_KEY_BYTES) {
        throw new IllegalArgumentException("attribute key '" + a.getKey() + "' of a message to " + topic
            + " is " + k + " bytes; Pub/Sub allows 1 to " + MAX_KEY_BYTES);
      }
      if (a.getKey().startsWith("goog")) {
        throw new IllegalArgumentException("attribute key '" + a.getKey() + "' of a message to " + topic
            + " starts with 'goog', which Pub/Sub reserves");
      }
      if (v > MAX_VALUE_BYTES) {
        throw new IllegalArgumentException("attribute '" + a.getKey() + "' of a message to " + topic
            + " is " + v + " bytes; Pub/Sub allows " + MAX_VALUE_BYTES);
      }
      size += k + v;
    }
    if (size > MAX_MESSAGE_BYTES) {
      throw new IllegalArgumentException("message to " + topic + " is " + size
          + " bytes; Pub/Sub allows " + MAX_MESSAGE_BYTES);
    }
  }
}
