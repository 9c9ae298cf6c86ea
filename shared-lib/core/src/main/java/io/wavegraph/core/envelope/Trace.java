package io.wavegraph.core.envelope;

import java.time.Instant;
import java.util.UUID;

/**
 * Where a request came from: an id shared by every envelope it caused, the attempt, and when the
 * request was made (a forced run redoes only results finished before {@code created}).
 */
public record Trace(String id, int attempt, Instant created) {
  public static Trace start(Instant now) {
    return new Trace(UUID.randomUUID().toString(), 1, now);
  }
}
