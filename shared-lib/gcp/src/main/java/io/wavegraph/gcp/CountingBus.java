package io.wavegraph.gcp;

import io.wavegraph.core.port.Ack;
import io.wavegraph.core.port.Message;
import io.wavegraph.core.port.MessageBus;
import io.wavegraph.core.port.MessageHandler;
import io.wavegraph.core.port.SubscriptionSettings;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A bus that knows when nothing is left to do, for a bus that cannot say so itself (Pub/Sub):
 * each publish counts one up, each handler's ACK counts one down (once per message id, as a
 * message may be delivered twice); a NACK keeps the count. A message the bus dead-letters itself
 * is counted down when a subscriber of the dead-letter topic acknowledges it, so every
 * dead-letter topic needs one. Only messages published through this decorator are counted:
 * publish every message of the run through it, and subscribe before publishing.
 */
public final class CountingBus implements MessageBus {
  private final MessageBus delegate;
  private final Object lock = new Object();
  private final Set<String> acked = ConcurrentHashMap.newKeySet();
  private long outstanding;

  public CountingBus(MessageBus delegate) {
    this.delegate = delegate;
  }

  @Override
  public void createTopic(String topic) {
    delegate.createTopic(topic);
  }

  @Override
  public String publish(String topic, Message message) {
    add(1);
    try {
      return delegate.publish(topic, message);
    } catch (RuntimeException | Error e) {
      add(-1);
      throw e;
    }
  }

  @Override
  public Subscription subscribe(String topic, String subscription, SubscriptionSettings settings, MessageHandler handler) {
    return delegate.subscribe(topic, subscription, settings, d -> {
      Ack a = handler.handle(d);
      if (a == Ack.ACK && acked.add(topic + "\0" + d.messageId())) add(-1);
      return a;
    });
  }

  private void add(long n) {
    synchronized (lock) {
      outstanding += n;
      if (outstanding <= 0) lock.notifyAll();
    }
  }

  /** Messages published and not yet acknowledged. */
  public long outstanding() {
    synchronized (lock) {
      return outstanding;
    }
  }

  /** Waits until every counted message has been acknowledged; false when {@code timeout} passed first. */
  public boolean awaitIdle(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lock) {
      while (outstanding > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) return false;
        try {
          lock.wait(Math.max(1, left / 1_000_000), 0);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
      return true;
    }
  }

  @Override
  public void close() {
    delegate.close();
  }
}
