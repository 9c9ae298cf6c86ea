package io.wavegraph.core.port;

import java.time.Duration;
import java.util.Objects;

/**
 * How a subscription delivers: {@code workers} concurrent handler calls at most, redelivery of a
 * nacked message after an exponential backoff between {@code minBackoff} and {@code maxBackoff},
 * and after {@code maxDeliveryAttempts} failed attempts the message goes to {@code
 * deadLetterTopic} (when set) with its attributes kept, and is never delivered here again.
 */
public record SubscriptionSettings(
    int workers,
    int maxDeliveryAttempts,
    String deadLetterTopic,
    Duration minBackoff,
    Duration maxBackoff) {

  public SubscriptionSettings {
    if (workers < 1) throw new IllegalArgumentException("workers must be >= 1, got " + workers);
    if (maxDeliveryAttempts < 1) {
      throw new IllegalArgumentException("maxDeliveryAttempts must be >= 1, got " + maxDeliveryAttempts);
    }
    Objects.requireNonNull(minBackoff, "minBackoff");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
  }

  public static SubscriptionSettings defaults() {
    return new SubscriptionSettings(1, 5, null, Duration.ofMillis(100), Duration.ofSeconds(10));
  }

  public SubscriptionSettings withWorkers(int n) {
    return new SubscriptionSettings(n, maxDeliveryAttempts, deadLetterTopic, minBackoff, maxBackoff);
  }

  public SubscriptionSettings withDeadLetter(String topic, int attempts) {
    return new SubscriptionSettings(workers, attempts, topic, minBackoff, maxBackoff);
  }

  public SubscriptionSettings withBackoff(Duration min, Duration max) {
    return new SubscriptionSettings(workers, maxDeliveryAttempts, deadLetterTopic, min, max);
  }

  /** The backoff before delivery attempt {@code nextAttempt} (2 or more): doubling, capped. */
  public Duration backoffBefore(int nextAttempt) {
    long factor = 1L << Math.min(20, Math.max(0, nextAttempt - 2));
    Duration d = minBackoff.multipliedBy(factor);
    return d.compareTo(maxBackoff) > 0 ? maxBackoff : d;
  }
}
