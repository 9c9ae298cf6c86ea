package io.wavegraph.local;

import io.wavegraph.core.port.Message;
import io.wavegraph.core.port.SubscriptionSettings;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.BooleanSupplier;

/**
 * The messages one subscription holds, ready for delivery. Every subscriber of the subscription
 * takes from the same queue, so they share its messages. In shuffled mode a taker gets a random
 * ready message instead of the oldest.
 */
final class SubscriptionQueue {
  /** One copy of a message owed to this subscription, with the attempt it will be delivered as. */
  record Pending(String id, Message message, Instant publishTime, int attempt) {
    Pending retry() {
      return new Pending(id, message, publishTime, attempt + 1);
    }
  }

  final String name;
  final String topic;
  final SubscriptionSettings settings;
  private final Random shuffle;
  private final ArrayDeque<Pending> fifo = new ArrayDeque<>();
  private final List<Pending> bag = new ArrayList<>();
  private int subscribersSoFar;

  SubscriptionQueue(String name, String topic, SubscriptionSettings settings, Random shuffle) {
    this.name = name;
    this.topic = topic;
    this.settings = settings;
    this.shuffle = shuffle;
  }

  synchronized void add(Pending p) {
    if (shuffle == null) fifo.addLast(p);
    else bag.add(p);
    notifyAll();
  }

  /**
   * The next ready message, waiting for one; null once {@code stop} says so.
   *
   * @throws InterruptedException when the taking thread is interrupted
   */
  synchronized Pending take(BooleanSupplier stop) throws InterruptedException {
    while (!stop.getAsBoolean()) {
      Pending p = poll();
      if (p != null) return p;
      wait();
    }
    return null;
  }

  /** Wakes every taker so that it checks whether to stop. */
  synchronized void wakeAll() {
    notifyAll();
  }

  /** A number for the next subscriber's thread names. */
  synchronized int nextSubscriberNumber() {
    return ++subscribersSoFar;
  }

  private Pending poll() {
    if (shuffle == null) return fifo.pollFirst();
    if (bag.isEmpty()) return null;
    int i = shuffle.nextInt(bag.size());
    Pending p = bag.get(i);
    bag.set(i, bag.get(bag.size() - 1));
    bag.remove(bag.size() - 1);
    return p;
  }
}
