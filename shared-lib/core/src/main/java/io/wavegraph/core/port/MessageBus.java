package io.wavegraph.core.port;

/**
 * Topics and subscriptions with Pub/Sub semantics: at-least-once delivery, ack/nack,
 * redelivery with backoff, dead-lettering after a number of attempts. Messages published to a
 * topic with no subscription are dropped, as in Pub/Sub, so subscribe before publishing.
 *
 * <p>Implementations: the in-process bus of the embedded runtime, and Pub/Sub. The same
 * contract suite ({@code MessageBusContract} in the test kit) runs against each.
 */
public interface MessageBus extends AutoCloseable {

  /** Creates the topic if it does not exist yet. Idempotent. */
  void createTopic(String topic);

  /**
   * Publishes one message and returns its id once the bus has accepted it.
   *
   * @throws IllegalArgumentException if the topic does not exist
   */
  String publish(String topic, Message message);

  /**
   * Starts delivering the topic's messages to {@code handler}. Creates the subscription if it does
   * not exist; a second subscriber on the same subscription name shares its messages.
   */
  Subscription subscribe(
      String topic, String subscription, SubscriptionSettings settings, MessageHandler handler);

  /** Stops all subscriptions and releases resources. Unacknowledged messages are not lost. */
  @Override
  void close();

  /** A running subscription; closing it stops deliveries to its handler. */
  interface Subscription extends AutoCloseable {
    @Override
    void close();
  }
}
