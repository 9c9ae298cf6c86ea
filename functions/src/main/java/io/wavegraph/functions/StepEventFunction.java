package io.wavegraph.functions;

import com.google.cloud.functions.CloudEventsFunction;
import io.cloudevents.CloudEvent;
import io.wavegraph.core.port.Ack;
import io.wavegraph.core.port.Delivery;
import io.wavegraph.core.port.MessageHandler;
import java.time.Instant;
import java.util.function.BiConsumer;
import java.util.logging.Logger;

/**
 * The Eventarc entry point of a step, for the two event types a step is fed by:
 *
 * <ul>
 *   <li>{@value #STORAGE_FINALIZED} at a root: an object in the input bucket under the input
 *       prefix becomes a request for its item ({@code tracks/ab12.flac} -> {@code tracks/ab12});
 *       objects in other buckets or outside the prefix are ignored;
 *   <li>{@value #PUBSUB_PUBLISHED}: the message on the step's topic, as with push.
 * </ul>
 *
 * Returning acknowledges the event. A nack or a handler exception throws, which the Functions
 * Framework answers with a 500, so Eventarc retries. An event that can never be processed (an
 * unknown type, data that is not JSON, an object name that is not a valid item id) is poison:
 * acknowledged and dead-lettered with the reason.
 */
public class StepEventFunction implements CloudEventsFunction {
  public static final String STORAGE_FINALIZED = "google.cloud.storage.object.v1.finalized";
  public static final String PUBSUB_PUBLISHED = "google.cloud.pubsub.topic.v1.messagePublished";
  private static final Logger LOG = Logger.getLogger(StepEventFunction.class.getName());
  private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

  private final MessageHandler handler;
  private final BiConsumer<byte[], String> poison;
  private final InputObjects inputs;

  /**
   * The Eventarc entry point every step shares ({@code io.wavegraph.functions.StepEventFunction}):
   * runs whatever step {@code WAVEGRAPH_CONFIG} configures.
   */
  public StepEventFunction() {
    this(StepRuntime.shared());
  }

  /** The function of the step that {@code runtime} runs; poison goes to its dead-letter topic. */
  public StepEventFunction(StepRuntime runtime) {
    this(runtime.pipeline(), runtime::deadLetter, runtime.config().inputBucket(), runtime.config().inputPrefix(),
        runtime.config().parents().isEmpty());
  }

  protected StepEventFunction(MessageHandler handler, BiConsumer<byte[], String> poison, String inputBucket,
      String inputPrefix, boolean root) {
    this.handler = handler;
    this.poison = poison;
    this.inputs = new InputObjects(inputBucket, inputPrefix, root);
  }

  /** Thrown to make the Functions Framework answer 500, so that the event is delivered again. */
  public static final class RetryException extends Exception {
    RetryException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  @Override
  public void accept(CloudEvent event) throws Exception {
    byte[] data = event.getData() == null ? new byte[0] : event.getData().toBytes();
    Delivery delivery;
    try {
      delivery = switch (event.getType()) {
        case STORAGE_FINALIZED -> storageRequest(event, data);
        case PUBSUB_PUBLISHED -> PushMessage.parse(data);
        default -> throw new PushMessage.PoisonException("unexpected event type " + event.getType(), null);
      };
    } catch (PushMessage.PoisonException e) {
      LOG.warning("poison event " + event.getId() + ", acknowledged: " + e.getMessage());
      poison.accept(data, e.getMessage());
      return;
    }
    if (delivery == null) return;
    Ack ack;
    try {
      ack = handler.handle(delivery);
    } catch (RuntimeException e) {
      throw new RetryException("handler failed on event " + event.getId(), e);
    }
    if (ack != Ack.ACK) throw new RetryException("event " + event.getId() + " not acknowledged; retry", null);
  }

  /** The request a finalized input object makes, or null when the object is not an input. */
  private Delivery storageRequest(CloudEvent event, byte[] data) throws PushMessage.PoisonException {
    com.fasterxml.jackson.databind.JsonNode object;
    try {
      object = JSON.readTree(data);
    } catch (java.io.IOException e) {
      throw new PushMessage.PoisonException("storage event data is not JSON: " + e.getMessage(), e);
    }
    Instant at = event.getTime() != null ? event.getTime().toInstant() : Instant.now();
    return inputs.request(object == null ? null : object.path("bucket").asText(null),
        object == null ? null : object.path("name").asText(null), event.getId(), at);
  }
}
