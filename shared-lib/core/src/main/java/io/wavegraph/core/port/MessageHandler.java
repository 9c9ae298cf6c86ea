package io.wavegraph.core.port;

/**
 * Receives deliveries. A handler that throws is treated exactly like one that returns
 * {@link Ack#NACK}: the bus redelivers after a backoff, then dead-letters.
 */
@FunctionalInterface
public interface MessageHandler {
  Ack handle(Delivery delivery) throws Exception;
}
