package io.wavegraph.chaos;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.wavegraph.core.port.Ack;
import io.wavegraph.core.port.Delivery;
import io.wavegraph.core.port.Message;
import io.wavegraph.core.port.SubscriptionSettings;
import io.wavegraph.gcp.PubSubBus;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Pub/Sub push, done by the harness over a pull subscription of the emulator: each message is
 * POSTed as a push request body to the endpoint; a 102/200/201/202/204 acknowledges it; anything
 * else, or no answer, is tried again after the retry policy's backoff (doubling from its minimum
 * to its maximum), and after {@code maxDeliveryAttempts} the message goes to the dead-letter topic
 * with Pub/Sub's attributes. The message is held (its ack deadline extended by the client) while
 * it is retried. The chaos suite uses it because gcloud's emulator (cloud-pubsub-emulator 0.8.20)
 * does not deliver again some push messages whose pushes failed while the endpoint was down
 * (README, "Chaos suite").
 */
final class PushRelay implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<Integer> ACKS = Set.of(102, 200, 201, 202, 204);

  private final AutoCloseable subscription;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  PushRelay(PubSubBus bus, String project, String topic, String subscription, String endpoint, Duration ackDeadline,
      int maxDeliveryAttempts, Duration minBackoff, Duration maxBackoff, String deadLetterTopic) {
    this.subscription = bus.subscribe(topic, subscription,
        new SubscriptionSettings(16, 1000, null, Duration.ofMillis(100), Duration.ofSeconds(1)), d -> {
          Duration wait = minBackoff;
          for (int attempt = 1; ; attempt++) {
            if (post(endpoint, project, subscription, d, attempt, ackDeadline)) return Ack.ACK;
            if (attempt >= maxDeliveryAttempts) {
              Map<String, String> attrs = new LinkedHashMap<>(d.message().attributes());
              attrs.put("CloudPubSubDeadLetterSourceDeliveryCount", Integer.toString(attempt));
              attrs.put("CloudPubSubDeadLetterSourceSubscription", subscription);
              bus.publish(deadLetterTopic, new Message(d.message().data(), attrs));
              return Ack.ACK;
            }
            try {
              Thread.sleep(wait.toMillis());
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              return Ack.NACK;
            }
            wait = wait.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : wait.multipliedBy(2);
          }
        });
  }

  private boolean post(String endpoint, String project, String subscription, Delivery d, int attempt, Duration timeout) {
    Map<String, Object> message = new LinkedHashMap<>();
    message.put("data", Base64.getEncoder().encodeToString(d.message().data()));
    message.put("attributes", d.message().attributes());
    message.put("messageId", d.messageId());
    message.put("publishTime", String.valueOf(d.publishTime()));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("message", message);
    body.put("subscription", "projects/" + project + "/subscriptions/" + subscription);
    body.put("deliveryAttempt", attempt);
    try {
      HttpRequest req = HttpRequest.newBuilder(URI.create(endpoint)).timeout(timeout)
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))
          .build();
      return ACKS.contains(http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (Exception e) {
      return false; // refused, reset, timed out: a failed push
    }
  }

  @Override
  public void close() throws Exception {
    subscription.close();
  }
}
