package io.wavegraph.local;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wavegraph.core.port.Ack;
import io.wavegraph.core.port.Delivery;
import io.wavegraph.core.port.Message;
import io.wavegraph.core.port.MessageBus;
import io.wavegraph.testkit.DeliveryRecorder;
import io.wavegraph.testkit.MessageBusContract;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class InProcessBusTest extends MessageBusContract {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @Override
  protected MessageBus newBus() {
    return new InProcessBus();
  }

  private InProcessBus inProcess() {
    return (InProcessBus) bus;
  }

  @Test
  void awaitIdleWaitsForAChainOfHandlers() {
    String a = topic("a");
    String b = topic("b");
    String c = topic("c");
    // Each handler publishes onward before it acks; the bus must not look idle in between.
    bus.subscribe(a, "sa", settings(), d -> forward(d, b));
    bus.subscribe(b, "sb", settings(), d -> forward(d, c));
    DeliveryRecorder end = DeliveryRecorder.acking();
    bus.subscribe(c, "sc", settings().withWorkers(3), end);

    for (int i = 0; i < 50; i++) bus.publish(a, message("m" + i));

    assertThat(inProcess().awaitIdle(WAIT)).isTrue();
    assertThat(end.deliveries()).hasSize(50);
    assertThat(inProcess().outstanding()).isZero();
  }

  @Test
  void awaitIdleCountsRunningHandlersAndWaitingRedeliveries() throws Exception {
    String topic = topic("busy");
    CountDownLatch release = new CountDownLatch(1);
    DeliveryRecorder rec = new DeliveryRecorder(d -> {
      if (d.attempt() == 1) return Ack.NACK; // waits a backoff, still owed
      release.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      return Ack.ACK;
    });
    bus.subscribe(topic, "busy", settings(), rec);

    bus.publish(topic, message("slow"));
    rec.awaitDeliveries(2, WAIT);

    assertThat(inProcess().outstanding()).isEqualTo(1);
    assertThat(inProcess().awaitIdle(Duration.ofMillis(20))).isFalse();
    release.countDown();
    assertThat(inProcess().awaitIdle(WAIT)).isTrue();
  }

  @Test
  void idleWithNothingPublished() {
    assertThat(inProcess().awaitIdle(Duration.ZERO)).isTrue();
    topic("unheard");
    assertThat(inProcess().outstanding()).isZero();
  }

  @Test
  void messageToATopicWithoutSubscriptionsIsDropped() {
    String topic = topic("nobody");
    bus.publish(topic, message("lost"));
    assertThat(inProcess().outstanding()).isZero();
  }

  @Test
  void deliveringTwiceSendsEachMessageTwice() {
    bus.close();
    bus = new InProcessBus(InProcessBus.Options.defaults().deliveringTwice());
    String topic = topic("dup");
    DeliveryRecorder rec = DeliveryRecorder.acking();
    bus.subscribe(topic, "dup", settings().withWorkers(2), rec);

    String id1 = bus.publish(topic, message("one"));
    String id2 = bus.publish(topic, message("two"));

    assertThat(inProcess().awaitIdle(WAIT)).isTrue();
    assertThat(rec.deliveries()).extracting(Delivery::messageId).containsExactlyInAnyOrder(id1, id1, id2, id2);
    assertThat(rec.deliveries()).extracting(Delivery::attempt).containsOnly(1);
  }

  @Test
  void shuffledBusReordersMessages() throws Exception {
    bus.close();
    bus = new InProcessBus(InProcessBus.Options.defaults().shuffled(42));
    String topic = topic("shuffle");
    CountDownLatch firstTaken = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    List<String> order = new ArrayList<>();
    bus.subscribe(topic, "shuffle", settings().withWorkers(1), d -> {
      String text = new String(d.message().data(), UTF_8);
      if (text.equals("gate")) {
        firstTaken.countDown();
        release.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      } else {
        synchronized (order) {
          order.add(text);
        }
      }
      return Ack.ACK;
    });
    bus.publish(topic, message("gate"));
    assertThat(firstTaken.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
    List<String> published = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      published.add(String.format("m%03d", i));
      bus.publish(topic, message(published.get(i)));
    }

    release.countDown();
    assertThat(inProcess().awaitIdle(WAIT)).isTrue();

    synchronized (order) {
      assertThat(order).containsExactlyInAnyOrderElementsOf(published).isNotEqualTo(published);
    }
  }

  @Test
  void messageSizeIsLimitedLikePubSub() {
    String topic = topic("big");
    assertThatThrownBy(() -> bus.publish(topic, new Message(new byte[10_000_001], Map.of())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("10000000");
    assertThatThrownBy(() -> bus.publish(topic, new Message(new byte[9_999_990], Map.of("key", "0123456789"))))
        .isInstanceOf(IllegalArgumentException.class);
    bus.publish(topic, new Message(new byte[10_000_000], Map.of()));
  }

  @Test
  void attributesAreLimitedLikePubSub() {
    String topic = topic("attrs");
    Map<String, String> many = new HashMap<>();
    for (int i = 0; i < 101; i++) many.put("k" + i, "v");
    assertThatThrownBy(() -> bus.publish(topic, new Message(new byte[1], many)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> bus.publish(topic, new Message(new byte[1], Map.of("v", "x".repeat(1025)))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> bus.publish(topic, new Message(new byte[1], Map.of("k".repeat(257), "v"))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> bus.publish(topic, new Message(new byte[1], Map.of("googKey", "v"))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> bus.publish(topic, new Message(new byte[0], Map.of())))
        .isInstanceOf(IllegalArgumentException.class);
    bus.publish(topic, new Message(new byte[0], Map.of("v", "x".repeat(1024))));
  }

  @Test
  void deadLetterSaysWhereAndHowOften() {
    String topic = topic("fails");
    String dlq = topic("fails-dlq");
    DeliveryRecorder dead = DeliveryRecorder.acking();
    bus.subscribe(dlq, "fails-dlq", settings(), dead);
    bus.subscribe(topic, "fails", settings().withDeadLetter(dlq, 2), d -> Ack.NACK);

    bus.publish(topic, new Message("x".getBytes(UTF_8), Map.of("item", "t1")));

    Delivery d = dead.awaitDeliveries(1, WAIT).get(0);
    assertThat(d.message().attributes()).isEqualTo(Map.of(
        "item", "t1", InProcessBus.DEAD_LETTER_SOURCE, "fails", InProcessBus.DELIVERY_ATTEMPTS, "2"));
    assertThat(inProcess().awaitIdle(WAIT)).isTrue();
  }

  @Test
  void exhaustedMessageWithoutDeadLetterTopicIsDropped() {
    String topic = topic("drop");
    DeliveryRecorder rec = new DeliveryRecorder(d -> Ack.NACK);
    bus.subscribe(topic, "drop", settings().withDeadLetter(null, 3), rec);

    bus.publish(topic, message("doomed"));

    assertThat(inProcess().awaitIdle(WAIT)).isTrue();
    assertThat(rec.deliveries()).extracting(Delivery::attempt).containsExactly(1, 2, 3);
  }

  @Test
  void subscribingToMissingTopicsIsRefused() {
    String topic = topic("real");
    assertThatThrownBy(() -> bus.subscribe("missing-topic", "s", settings(), d -> Ack.ACK))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> bus.subscribe(topic, "s", settings().withDeadLetter("missing-dlq", 5), d -> Ack.ACK))
        .isInstanceOf(IllegalArgumentException.class);
    bus.subscribe(topic, "s", settings(), d -> Ack.ACK);
    String other = topic("other");
    assertThatThrownBy(() -> bus.subscribe(other, "s", settings(), d -> Ack.ACK))
        .as("a subscription belongs to one topic")
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void workersAreDaemonThreadsNamedAfterTheSubscription() throws Exception {
    String topic = topic("named");
    BlockingQueue<Thread> seen = new LinkedBlockingQueue<>();
    bus.subscribe(topic, "beats-sub", settings(), d -> {
      seen.add(Thread.currentThread());
      return Ack.ACK;
    });
    bus.publish(topic, message("m"));

    Thread worker = seen.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(worker).isNotNull();
    assertThat(worker.getName()).startsWith("beats-sub");
    assertThat(worker.isDaemon()).isTrue();
  }

  @Test
  void publishTimeComesFromTheClock() {
    bus.close();
    Instant t = Instant.parse("2030-01-01T00:00:00Z");
    bus = new InProcessBus(InProcessBus.Options.defaults().withClock(Clock.fixed(t, ZoneOffset.UTC)));
    String topic = topic("clock");
    DeliveryRecorder rec = DeliveryRecorder.acking();
    bus.subscribe(topic, "clock", settings(), rec);
    bus.publish(topic, message("m"));
    assertThat(rec.awaitDeliveries(1, WAIT).get(0).publishTime()).isEqualTo(t);
  }

  @Test
  void closedBusRefusesPublishAndStopsWorkers() throws Exception {
    String topic = topic("closed");
    BlockingQueue<Thread> seen = new LinkedBlockingQueue<>();
    bus.subscribe(topic, "closed", settings().withWorkers(2), d -> {
      seen.add(Thread.currentThread());
      return Ack.ACK;
    });
    bus.publish(topic, message("m"));
    Thread worker = seen.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);

    bus.close();

    assertThatThrownBy(() -> bus.publish(topic, message("late"))).isInstanceOf(IllegalStateException.class);
    assertThat(worker).isNotNull();
    worker.join(WAIT.toMillis());
    assertThat(worker.isAlive()).isFalse();
  }

  @Test
  void handlerCanCloseItsOwnSubscription() {
    String topic = topic("self");
    MessageBus.Subscription[] self = new MessageBus.Subscription[1];
    CountDownLatch subscribed = new CountDownLatch(1);
    DeliveryRecorder rec = new DeliveryRecorder(d -> {
      subscribed.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      self[0].close();
      return Ack.ACK;
    });
    self[0] = bus.subscribe(topic, "self", settings(), rec);
    subscribed.countDown();
    bus.publish(topic, message("m"));

    assertThat(inProcess().awaitIdle(WAIT)).isTrue();
  }

  private Ack forward(Delivery d, String topic) {
    bus.publish(topic, d.message());
    return Ack.ACK;
  }
}
