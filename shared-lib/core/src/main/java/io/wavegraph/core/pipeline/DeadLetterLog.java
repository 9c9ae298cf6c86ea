package io.wavegraph.core.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.wavegraph.core.envelope.EnvelopeCodec;
import io.wavegraph.core.port.Ack;
import io.wavegraph.core.port.Delivery;
import io.wavegraph.core.port.MessageHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * Appends every dead letter it receives to a file, one JSON object a line: the step, the item,
 * the reason and the original message data, so that a person can see what failed and resend it.
 */
public final class DeadLetterLog implements MessageHandler {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path file;

  public DeadLetterLog(Path file) {
    this.file = file;
  }

  @Override
  public Ack handle(Delivery d) {
    Map<String, String> attrs = d.message().attributes();
    var line = JSON.createObjectNode();
    line.put("step", attrs.get(DeadLetters.ATTR_STEP));
    line.put("item", attrs.get(EnvelopeCodec.ATTR_ITEM));
    line.put("error", attrs.get(DeadLetters.ATTR_ERROR));
    line.put("data", new String(d.message().data(), StandardCharsets.UTF_8));
    synchronized (DeadLetterLog.class) {
      try {
        Files.writeString(file, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return Ack.ACK;
  }
}
