package io.wavegraph.core.port;

import java.util.Map;

/**
 * A message as it travels on a {@link MessageBus}: opaque data plus string attributes that
 * subscriptions may filter on. Both are immutable once built.
 */
public record Message(byte[] data, Map<String, String> attributes) {
  public Message {
    data = data.clone();
    attributes = Map.copyOf(attributes);
  }

  @Override
  public byte[] data() {
    return data.clone();
  }
}
