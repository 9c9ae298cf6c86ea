package io.wavegraph.core.port;

import java.time.Instant;

/**
 * One delivery of a message to a subscriber. {@code attempt} starts at 1 and grows by one on
 * every redelivery of the same message (Pub/Sub's delivery attempt).
 */
public record Delivery(String messageId, Message message, int attempt, Instant publishTime) {}
