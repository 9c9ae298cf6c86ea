package io.wavegraph.testkit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wavegraph.core.port.Ack;
import io.wavegraph.core.port.Delivery;
import io.wavegraph.core.port.Message;
import io.wavegraph.core.port.MessageBus;
import io.wavegraph.core.port.SubscriptionSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link MessageBus} must show. An adapter's test extends this class and
 * implements {@link #newBus()}; emulator- or cloud-backed adapters also override the hooks below
 * (unique names, slower backoffs, longer deadlines).
 *
 * <p>Nothing here assumes timing beyond {@link #deadline()}: tests wait on latches and on {@link
 * DeliveryRecorder}, and "nothing more came" is shown by a probe's redelivery ({@link
 * DeliveryRecorder#settle}), never by sleeping.
 */
public abstract class MessageBusContract {

  /** A new bus for one test; it is closed after the test. */
  protected abstract MessageBus newBus();

  /** A topic name unique to this run, since an emulator's state outlives one test. */
  protected String topicName(String base) {
    return base + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** A subscription name unique to this run. */
  protected String subscriptionName(String base) {
    return base + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** The settings tests start from: one worker, short backoffs. */
  protected SubscriptionSettings settings() {
    return SubscriptionSettings.defaults().withBackoff(Duration.ofMillis(10), Duration.ofMillis(50));
  }

  /** The most any single wait may take before the test fails. */
  protected Duration deadline() {
    return Duration.ofSeconds(30);
  }

  protected MessageBus bus;

  @BeforeEach
  void openBus() {
    bus = newBus();
  }

  @AfterEach
  void closeBus() {
    if (bus != null) bus.close();
  }

  @Test
  void deliversDataAndAttributesIntact() {
    String topic = topic("intact");
    DeliveryRecorder rec = DeliveryRecorder.acking();
    bus.subscribe(topic, subscriptionName("intact"), settings(), rec);
    byte[] data = {0, 1, 2, (byte) 0xff, (byte) 0x80, '\n', 'x'};
    Map<String, String> attrs = Map.of("item", "tracks/ab12", "step", "beats", "unicode", "ünï");

    String id = bus.publish(topic, new Message(data, attrs));

    Delivery d = rec.awaitDeliveries(1, deadline()).get(0);
    assertThat(id).isNotBlank();
    assertThat(d.messageId()).isEqualTo(id);
    assertThat(d.attempt()).isEqualTo(1);
    assertThat(d.message().data()).isEqualTo(data);
    assertThat(d.message().attributes()).isEqualTo(attrs);
    assertThat(d.publishTime()).isNotNull();
  }

  @Test
  void createTopicIsIdempotent() {
    String topic = topic("twice");
    bus.createTopic(topic);
    DeliveryRecorder rec = DeliveryRecorder.acking();
    bus.subscribe(topic, subscriptionName("twice"), settings(), rec);
    bus.publish(topic, message("one"));
    assertThat(rec.awaitDeliveries(1, deadline())).hasSize(1);
  }

  @Test
  void ackedMessageIsNotRedelivered() {
    String topic = topic("ack");
    DeliveryRecorder rec = DeliveryRecorder.acking();
    bus.subscribe(topic, subscriptionName("ack"), settings(), rec);

    String id = bus.publish(topic, message("once"));
    rec.awaitDeliveries(1, deadline());
    rec.settle(bus, topic, deadline());

    assertThat(rec.deliveries()).extracting(Delivery::messageId).containsExactly(id);
  }

  @Test
  void nackedMessageIsRedeliveredWithGrowingAttempts() {
    String topic = topic("nack");
    DeliveryRecorder rec = new DeliveryRecorder(d -> d.attempt() < 3 ? Ack.NACK : Ack.ACK);
    bus.subscribe(topic, subscriptionName("nack"), settings(), rec);

    String id = bus.publish(topic, message("again"));
    List<Delivery> ds = rec.awaitDeliveries(3, deadline());
    rec.settle(bus, topic, deadline());

    assertThat(rec.deliveries()).extracting(Delivery::messageId).containsOnly(id);
    assertThat(rec.deliveries()).extracting(Delivery::attempt).containsExactly(1, 2, 3);
    assertThat(ds.get(2).message().data()).isEqualTo("again".getBytes(UTF_8));
  }

  @Test
  void throwingHandlerCountsAsNack() {
    String topic = topic("throw");
    DeliveryRecorder rec = new DeliveryRecorder(d -> {
      if (d.attempt() == 1) throw new IllegalStateException("first attempt fails");
      return Ack.ACK;
    });
    bus.subscribe(topic, subscriptionName("throw"), settings(), rec);

    String id = bus.publish(topic, message("flaky"));
    rec.awaitDeliveries(2, deadline());
    rec.settle(bus, topic, deadline());

    assertThat(rec.deliveries()).extracting(Delivery::messageId).containsOnly(id);
    assertThat(rec.deliveries()).extracting(Delivery::attempt).containsExactly(1, 2);
  }

  @Test
  void exhaustedMessageGoesToDeadLetterTopicAndNeverBack() {
    String topic = topic("doomed");
    String deadLetters = topic("doomed-dlq");
    bus.createTopic(deadLetters);
    DeliveryRecorder dead = DeliveryRecorder.acking();
    bus.subscribe(deadLetters, subscriptionName("doomed-dlq"), settings(), dead);
    int maxAttempts = 5; // Pub/Sub's smallest allowed value
    DeliveryRecorder rec = new DeliveryRecorder(d -> Ack.NACK);
    bus.subscribe(topic, subscriptionName("doomed"), settings().withDeadLetter(deadLetters, maxAttempts), rec);
    Map<String, String> attrs = Map.of("item", "tracks/t1", "step", "tempo");

    String id = bus.publish(topic, new Message("payload".getBytes(UTF_8), attrs));

    Delivery dl = dead.awaitDeliveries(1, deadline()).get(0);
    assertThat(dl.message().data()).isEqualTo("payload".getBytes(UTF_8));
    assertThat(dl.message().attributes()).containsAllEntriesOf(attrs);
    rec.settle(bus, topic, deadline());
    assertThat(rec.deliveries()).extracting(Delivery::messageId).containsOnly(id);
    assertThat(rec.deliveries()).extracting(Delivery::attempt).containsExactly(1, 2, 3, 4, 5);
    assertThat(dead.deliveries()).hasSize(1);
  }

  @Test
  void workersRunHandlersConcurrently() throws Exception {
    String topic = topic("parallel");
    int workers = 4;
    CountDownLatch started = new CountDownLatch(workers);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger running = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    DeliveryRecorder rec = new DeliveryRecorder(d -> {
      most.accumulateAndGet(running.incrementAndGet(), Math::max);
      try {
        started.countDown();
        release.await(deadline().toMillis(), TimeUnit.MILLISECONDS);
        return Ack.ACK;
      } finally {
        running.decrementAndGet();
      }
    });
    bus.subscribe(topic, subscriptionName("parallel"), settings().withWorkers(workers), rec);

    try {
      for (int i = 0; i < 2 * workers; i++) bus.publish(topic, message("m" + i));
      assertThat(started.await(deadline().toMillis(), TimeUnit.MILLISECONDS))
          .as("%d handlers running at once", workers)
          .isTrue();
    } finally {
      release.countDown();
    }
    rec.awaitDeliveries(2 * workers, deadline());
    assertThat(most.get()).isEqualTo(workers);
  }

  @Test
  void oneWorkerNeverRunsTwoHandlersAtOnce() {
    String topic = topic("serial");
    AtomicInteger running = new AtomicInteger();
    AtomicBoolean overlapped = new AtomicBoolean();
    DeliveryRecorder rec = new DeliveryRecorder(d -> {
      if (running.incrementAndGet() > 1) overlapped.set(true);
      for (int i = 0; i < 100; i++) Thread.yield(); // give another handler a chance to overlap
      running.decrementAndGet();
      return Ack.ACK;
    });
    bus.subscribe(topic, subscriptionName("serial"), settings().withWorkers(1), rec);

    for (int i = 0; i < 30; i++) bus.publish(topic, message("m" + i));

    rec.awaitDeliveries(30, deadline());
    assertThat(overlapped).isFalse();
  }

  @Test
  void everySubscriptionGetsEveryMessage() {
    String topic = topic("fanout");
    DeliveryRecorder a = DeliveryRecorder.acking();
    DeliveryRecorder b = DeliveryRecorder.acking();
    bus.subscribe(topic, subscriptionName("fanout-a"), settings(), a);
    bus.subscribe(topic, subscriptionName("fanout-b"), settings(), b);

    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 10; i++) ids.add(bus.publish(topic, message("m" + i)));

    assertThat(ids).hasSize(10);
    assertThat(acked(a.awaitDeliveries(10, deadline()))).isEqualTo(ids);
    assertThat(acked(b.awaitDeliveries(10, deadline()))).isEqualTo(ids);
  }

  @Test
  void subscribersOfOneSubscriptionShareItsMessages() {
    String topic = topic("shared");
    String subscription = subscriptionName("shared");
    DeliveryRecorder rec = DeliveryRecorder.acking(); // one recorder behind both subscribers
    bus.subscribe(topic, subscription, settings(), rec);
    bus.subscribe(topic, subscription, settings(), rec);

    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 20; i++) ids.add(bus.publish(topic, message("m" + i)));

    rec.await(ds -> acked(ds).equals(ids), deadline(), "every message, to one subscriber or the other");
  }

  @Test
  void publishToMissingTopicIsRefused() {
    String missing = topicName("missing");
    assertThatThrownBy(() -> bus.publish(missing, message("lost")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void closedSubscriptionGetsNoMoreDeliveries() {
    String topic = topic("closing");
    DeliveryRecorder closing = DeliveryRecorder.acking();
    DeliveryRecorder staying = DeliveryRecorder.acking();
    MessageBus.Subscription sub = bus.subscribe(topic, subscriptionName("closing"), settings(), closing);
    bus.subscribe(topic, subscriptionName("staying"), settings(), staying);
    String first = bus.publish(topic, message("before"));
    closing.awaitDeliveries(1, deadline());

    sub.close();
    String second = bus.publish(topic, message("after"));

    staying.awaitDeliveries(2, deadline());
    staying.settle(bus, topic, deadline());
    assertThat(acked(staying.deliveries())).containsExactlyInAnyOrder(first, second);
    assertThat(closing.deliveries()).extracting(Delivery::messageId).containsExactly(first);
  }

  /** Creates a uniquely named topic. */
  protected String topic(String base) {
    String name = topicName(base);
    bus.createTopic(name);
    return name;
  }

  protected static Message message(String text) {
    return new Message(text.getBytes(UTF_8), Map.of("text", text));
  }

  private static Set<String> acked(List<Delivery> ds) {
    Set<String> ids = new HashSet<>();
    for (Delivery d : new ArrayList<>(ds)) ids.add(d.messageId());
    return ids;
  }
}
