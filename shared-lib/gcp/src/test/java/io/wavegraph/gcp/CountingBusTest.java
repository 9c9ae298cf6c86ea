package io.wavegraph.gcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.wavegraph.core.port.Ack;
import io.wavegraph.core.port.Delivery;
import io.wavegraph.core.port.Message;
import io.wavegraph.core.port.MessageBus;
import io.wavegraph.core.port.MessageHandler;
import io.wavegraph.core.port.SubscriptionSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The idle count over a bus that cannot report it: publishes count up, first acks count down. */
class CountingBusTest {
  /** A bus delivering on a worker thread, redelivering a nacked message, delivering each twice if asked. */
  static final class ThreadBus implements MessageBus {
    final ExecutorService pool = Executors.newSingleThreadExecutor();
    final Map<String, List<MessageHandler>> handlers = new ConcurrentHashMap<>();
    final AtomicInteger ids = new AtomicInteger();
    boolean twice;

    @Override
    public void createTopic(String topic) {
      handlers.putIfAbsent(topic, new CopyOnWriteArrayList<>());
    }

    @Override
    public String publish(String topic, Message message) {
      String id = Integer.toString(ids.incrementAndGet());
      for (MessageHandler h : handlers.get(topic)) {
        pool.submit(() -> deliver(h, id, message, 1));
        if (twice) pool.submit(() -> deliver(h, id, message, 1));
      }
      return id;
    }

    private void deliver(MessageHandler h, String id, Message m, int attempt) {
      Ack a;
      try {
        a = h.handle(new Delivery(id, m, attempt, Instant.now()));
      } catch (Exception e) {
        a = Ack.NACK;
      }
      if (a == Ack.NACK) pool.submit(() -> deliver(h, id, m, attempt + 1));
    }

    @Override
    public Subscription subscribe(String topic, String subscription, SubscriptionSettings settings, MessageHandler handler) {
      handlers.get(topic).add(handler);
      return () -> handlers.get(topic).remove(handler);
    }

    @Override
    public void close() {
      pool.shutdownNow();
    }
  }

  final ThreadBus inner = new ThreadBus();
  final CountingBus bus = new CountingBus(inner);

  @AfterEach
  void close() {
    bus.close();
  }

  private static Message msg(String s) {
    return new Message(s.getBytes(), Map.of());
  }

  @Test
  void idleOnlyOnceEveryMessageAndEveryMessageItCausedIsAcked() {
    bus.createTopic("a");
    bus.createTopic("b");
    AtomicInteger nacks = new AtomicInteger();
    List<Long> seenInB = new CopyOnWriteArrayList<>();
    // a's handler publishes to b before acking, and nacks each message once first.
    bus.subscribe("a", "a-sub", SubscriptionSettings.defaults(), d -> {
      if (d.attempt() == 1) {
        nacks.incrementAndGet();
        return Ack.NACK;
      }
      bus.publish("b", d.message());
      return Ack.ACK;
    });
    bus.subscribe("b", "b-sub", SubscriptionSettings.defaults(), d -> {
      seenInB.add(bus.outstanding());
      return Ack.ACK;
    });
    for (int i = 0; i < 20; i++) bus.publish("a", msg("m" + i));
    assertThat(bus.awaitIdle(Duration.ofSeconds(10))).isTrue();
    assertThat(bus.outstanding()).isZero();
    assertThat(nacks).hasValue(20);
    assertThat(seenInB).hasSize(20).allSatisfy(n -> assertThat(n).isPositive());
  }

  @Test
  void aDuplicateDeliveryIsCountedDownOnce() {
    inner.twice = true;
    bus.createTopic("a");
    AtomicInteger handled = new AtomicInteger();
    bus.subscribe("a", "a-sub", SubscriptionSettings.defaults(), d -> {
      handled.incrementAndGet();
      return Ack.ACK;
    });
    bus.publish("a", msg("x"));
    bus.publish("a", msg("y"));
    assertThat(bus.awaitIdle(Duration.ofSeconds(10))).isTrue();
    // Let the second copies arrive too: they must not count below zero.
    inner.pool.shutdown();
    try {
      assertThat(inner.pool.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
    assertThat(handled).hasValue(4);
    assertThat(bus.outstanding()).isZero();
  }

  @Test
  void notIdleWhileAMessageKeepsFailing() {
    bus.createTopic("a");
    bus.subscribe("a", "a-sub", SubscriptionSettings.defaults(), d -> d.attempt() < 50 ? Ack.NACK : Ack.ACK);
    bus.publish("a", msg("x"));
    assertThat(bus.awaitIdle(Duration.ofSeconds(10))).isTrue();
    assertThat(bus.outstanding()).isZero();

    bus.createTopic("b");
    bus.subscribe("b", "never", SubscriptionSettings.defaults(), d -> Ack.NACK);
    bus.publish("b", msg("y"));
    assertThat(bus.awaitIdle(Duration.ofMillis(200))).isFalse();
    assertThat(bus.outstanding()).isPositive();
  }
}
