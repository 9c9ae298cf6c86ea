package io.wavegraph.core.pipeline;

import io.wavegraph.core.port.Message;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a dead letter carries: the original data and attributes, plus the step that gave up and
 * why. Every runtime (the pipeline, the functions' poison handling) and every reader (the dead
 * letter log, the chaos suite) uses these names.
 */
public final class DeadLetters {
  /** The attribute naming the step that dead-lettered the message. */
  public static final String ATTR_STEP = "wavegraph-step";
  /** The attribute holding the reason, at most {@link #MAX_ERROR_CHARS} characters. */
  public static final String ATTR_ERROR = "wavegraph-error";
  /** Pub/Sub allows 1024 bytes per attribute value; a reason is cut to this many characters. */
  public static final int MAX_ERROR_CHARS = 1000;

  private DeadLetters() {}

  /** The dead letter of {@code data} (with the original {@code attributes}) at {@code step}. */
  public static Message of(byte[] data, Map<String, String> attributes, String step, String reason) {
    Map<String, String> attrs = new LinkedHashMap<>(attributes);
    attrs.put(ATTR_STEP, step);
    attrs.put(ATTR_ERROR, reason.length() > MAX_ERROR_CHARS ? reason.substring(0, MAX_ERROR_CHARS) : reason);
    return new Message(data, attrs);
  }
}
