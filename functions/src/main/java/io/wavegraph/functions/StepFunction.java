package io.wavegraph.functions;

import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import io.wavegraph.core.port.Ack;
import io.wavegraph.core.port.Delivery;
import io.wavegraph.core.port.MessageHandler;
import java.util.function.BiConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The Pub/Sub push entry point every step function shares: parses the push body and hands the
 * delivery to the step's {@link MessageHandler} (the step pipeline). The status code is the
 * answer to Pub/Sub: 204 acknowledges; 500 makes Pub/Sub retry with the subscription's backoff
 * and, after its last attempt, dead-letter. A body that is not a push message is poison:
 * acknowledged (200) and reported to {@code poison} with the reason (the runtime publishes it to
 * the step's dead-letter topic), never retried. A dead-letter publish that fails answers 500, so
 * the message is not lost.
 *
 * <p>At a root, a Cloud Storage notification ({@code JSON_API_V1}, attribute {@code eventType})
 * pushed from the root's topic is how uploads arrive: {@code OBJECT_FINALIZE} of an object under
 * the input prefix becomes a request for its item; any other notification is acknowledged and
 * ignored.
 *
 * <p>The handler is created once per instance and reused for every request. An exception from the
 * handler answers 500, like a nack; so does a nack, which is also the answer to a delivery that
 * meets someone else's live claim (it comes back until that claim ends).
 */
public class StepFunction implements HttpFunction {
  private static final Logger LOG = Logger.getLogger(StepFunction.class.getName());

  private final MessageHandler handler;
  private final BiConsumer<byte[], String> poison;
  private final InputObjects inputs;

  /**
   * The entry point the generated Terraform names ({@code io.wavegraph.functions.StepFunction}):
   * runs whatever step {@code WAVEGRAPH_CONFIG} configures.
   */
  public StepFunction() {
    this(StepRuntime.shared());
  }

  /** The function of the step that {@code runtime} runs; poison goes to its dead-letter topic. */
  public StepFunction(StepRuntime runtime) {
    this(runtime.pipeline(), runtime::deadLetter, new InputObjects(runtime.config().inputBucket(),
        runtime.config().inputPrefix(), runtime.config().parents().isEmpty()));
  }

  protected StepFunction(MessageHandler handler, BiConsumer<byte[], String> poison) {
    this(handler, poison, new InputObjects("", "", false));
  }

  /** @param inputs what a root makes of a Cloud Storage notification pushed from its topic */
  StepFunction(MessageHandler handler, BiConsumer<byte[], String> poison, InputObjects inputs) {
    this.handler = handler;
    this.poison = poison;
    this.inputs = inputs;
  }

  @Override
  public void service(HttpRequest request, HttpResponse response) throws Exception {
    byte[] body = request.getInputStream().readAllBytes();
    Delivery delivery;
    try {
      delivery = PushMessage.parse(body);
      if (InputObjects.isNotification(delivery)) {
        delivery = inputs.fromNotification(delivery);
        if (delivery == null) {
          response.setStatusCode(204);
          return;
        }
      }
    } catch (PushMessage.PoisonException e) {
      LOG.warning("poison push request, acknowledged: " + e.getMessage());
      try {
        poison.accept(body, e.getMessage());
      } catch (RuntimeException failed) {
        LOG.log(Level.WARNING, "could not dead-letter a poison request; Pub/Sub will retry", failed);
        response.setStatusCode(500);
        return;
      }
      response.setStatusCode(200);
      return;
    }
    Ack ack;
    try {
      ack = handler.handle(delivery);
    } catch (Exception e) {
      LOG.log(Level.WARNING, "handler failed on message " + delivery.messageId() + "; Pub/Sub will retry", e);
      ack = Ack.NACK;
    }
    response.setStatusCode(ack == Ack.ACK ? 204 : 500);
  }
}
