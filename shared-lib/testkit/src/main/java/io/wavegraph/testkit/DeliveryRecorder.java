package io.wavegraph.testkit;

import io.wavegraph.core.port.Ack;
import io.wavegraph.core.port.Delivery;
import io.wavegraph.core.port.Message;
import io.wavegraph.core.port.MessageBus;
import io.wavegraph.core.port.MessageHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * A {@link MessageHandler} that records every delivery, then answers as its behaviour says. Tests
 * wait on it for what a bus delivered; waiting blocks on a monitor until the condition holds or a
 * deadline passes, so there is neither polling nor sleeping.
 *
 * <p>A delivery is recorded before the behaviour runs, so a test can see that a handler started
 * even while the behaviour blocks.
 *
 * <p>Probes: a message carrying {@link #PROBE_ATTRIBUTE} is nacked on its first attempt and acked
 * on the next, whatever the behaviour; {@link #settle} uses one as a clock, since its redelivery
 * comes only after a whole backoff. Probes are left out of {@link #deliveries()}.
 */
public final class DeliveryRecorder implements MessageHandler {
  /** Marks a probe message; its value names the probe. */
  public static final String PROBE_ATTRIBUTE = "wavegraph-probe";

  private final MessageHandler behaviour;
  private final List<Delivery> all = new ArrayList<>();

  public DeliveryRecorder(MessageHandler behaviour) {
    this.behaviour = behaviour;
  }

  /** A recorder that acknowledges everything. */
  public static DeliveryRecorder acking() {
    return new DeliveryRecorder(d -> Ack.ACK);
  }

  @Override
  public Ack handle(Delivery delivery) throws Exception {
    synchronized (all) {
      all.add(delivery);
      all.notifyAll();
    }
    if (isProbe(delivery)) return delivery.attempt() >= 2 ? Ack.ACK : Ack.NACK;
    return behaviour.handle(delivery);
  }

  /** Every delivery recorded so far, probes left out, in the order they arrived. */
  public List<Delivery> deliveries() {
    synchronized (all) {
      return withoutProbes(all);
    }
  }

  /**
   * Waits until at least {@code count} deliveries (probes left out) were recorded.
   *
   * @return the deliveries recorded by then
   * @throws AssertionError naming what was seen, when the deadline passes first
   */
  public List<Delivery> awaitDeliveries(int count, Duration timeout) {
    return await(ds -> ds.size() >= count, timeout, count + " deliveries");
  }

  /**
   * Waits until {@code condition} holds for the deliveries recorded so far (probes left out).
   *
   * @throws AssertionError naming {@code what} and what was seen, when the deadline passes first
   */
  public List<Delivery> await(Predicate<List<Delivery>> condition, Duration timeout, String what) {
    return awaitAll(ds -> condition.test(withoutProbes(ds)), timeout, what);
  }

  /**
   * Publishes a probe to {@code topic} and waits until this recorder got it a second time. Any
   * redelivery the bus was going to make of a message nacked before the probe is then most likely
   * made: this is how a test can say "and nothing else came" without sleeping.
   */
  public void settle(MessageBus bus, String topic, Duration timeout) {
    String name = UUID.randomUUID().toString();
    bus.publish(topic, new Message(new byte[] {'p'}, Map.of(PROBE_ATTRIBUTE, name)));
    awaitAll(
        ds -> ds.stream()
            .anyMatch(d -> name.equals(d.message().attributes().get(PROBE_ATTRIBUTE))
                && d.attempt() >= 2),
        timeout,
        "probe " + name + " redelivered");
  }

  private List<Delivery> awaitAll(Predicate<List<Delivery>> condition, Duration timeout, String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (all) {
      while (!condition.test(all)) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("timed out after " + timeout + " waiting for " + what
              + "; deliveries so far: " + describe(all));
        }
        try {
          all.wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError("interrupted waiting for " + what, e);
        }
      }
      return withoutProbes(all);
    }
  }

  private static boolean isProbe(Delivery d) {
    return d.message().attributes().containsKey(PROBE_ATTRIBUTE);
  }

  private static List<Delivery> withoutProbes(List<Delivery> ds) {
    return ds.stream().filter(d -> !isProbe(d)).toList();
  }

  private static String describe(List<Delivery> ds) {
    StringBuilder b = new StringBuilder("[");
    for (Delivery d : ds) {
      if (b.length() > 1) b.append(", ");
      b.append(d.messageId()).append('#').append(d.attempt()).append(d.message().attributes());
    }
    return b.append(']').toString();
  }
}
