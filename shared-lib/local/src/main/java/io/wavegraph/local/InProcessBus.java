package io.wavegraph.local;

import io.wavegraph.core.port.Ack;
import io.wavegraph.core.port.Delivery;
import io.wavegraph.core.port.Message;
import io.wavegraph.core.port.MessageBus;
import io.wavegraph.core.port.MessageHandler;
import io.wavegraph.core.port.SubscriptionSettings;
import io.wavegraph.local.SubscriptionQueue.Pending;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link MessageBus} inside one process, with Pub/Sub's semantics: each subscription gets every
 * message published to its topic after it was created; the subscribers of one subscription share
 * its messages; a nack or a throwing handler brings a redelivery after the subscription's backoff,
 * with the attempt number one higher; after {@code maxDeliveryAttempts} the message is published
 * to the dead-letter topic with its attributes plus {@link #DEAD_LETTER_SOURCE} and {@link
 * #DELIVERY_ATTEMPTS}, or dropped when there is none. Message ids are increasing decimal numbers.
 *
 * <p>It is stricter than Pub/Sub where that finds bugs early: it enforces Pub/Sub's message limits
 * on publish (10 MB, 100 attributes, keys up to 256 and values up to 1024 bytes, no {@code goog}
 * keys, not empty), and {@link Options} can make it deliver every message twice and in random
 * order. It has no ack deadline: a handler may run as long as it likes.
 *
 * <p>Each subscriber runs {@code settings.workers()} daemon threads named after the subscription.
 * Nothing survives the process: messages still queued when the bus is closed are gone, which the
 * ledger makes harmless (a re-run finishes the work).
 */
public final class InProcessBus implements MessageBus {
  /** Attribute added to a dead-lettered message: the subscription it came from. */
  public static final String DEAD_LETTER_SOURCE = "wavegraph-dead-letter-source";
  /** Attribute added to a dead-lettered message: how many deliveries were tried. */
  public static final String DELIVERY_ATTEMPTS = "wavegraph-delivery-attempts";

  /** How long {@link MessageBus.Subscription#close()} waits for running handlers to return. */
  private static final Duration HANDLER_GRACE = Duration.ofSeconds(10);
  private static final System.Logger LOG = System.getLogger(InProcessBus.class.getName());

  /**
   * How the bus delivers.
   *
   * @param deliverTwice deliver every message twice to each subscription, as Pub/Sub may
   * @param shuffleSeed when not null, deliver ready messages in a random order from this seed
   * @param clock the source of publish times
   */
  public record Options(boolean deliverTwice, Long shuffleSeed, Clock clock) {
    public Options {
      Objects.requireNonNull(clock, "clock");
    }

    /** Once each, in order, system clock. */
    public static Options defaults() {
      return new Options(false, null, Clock.systemUTC());
    }

    public Options deliveringTwice() {
      return new Options(true, shuffleSeed, clock);
    }

    public Options shuffled(long seed) {
      return new Options(deliverTwice, seed, clock);
    }

    public Options withClock(Clock c) {
      return new Options(deliverTwice, shuffleSeed, c);
    }
  }

  private final Options options;
  private final Map<String, List<SubscriptionQueue>> topics = new ConcurrentHashMap<>();
  private final Map<String, SubscriptionQueue> subscriptions = new HashMap<>();
  private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
  private final AtomicLong ids = new AtomicLong();
  private final OutstandingCount outstanding = new OutstandingCount();
  private final ScheduledExecutorService redelivery;
  private volatile boolean closed;

  public InProcessBus() {
    this(Options.defaults());
  }

  public InProcessBus(Options options) {
    this.options = options;
    this.redelivery = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "in-process-bus-redelivery");
      t.setDaemon(true);
      return t;
    });
  }

  @Override
  public void createTopic(String topic) {
    checkName("topic", topic);
    topics.computeIfAbsent(topic, t -> new CopyOnWriteArrayList<>());
  }

  /**
   * @throws IllegalArgumentException if the topic does not exist or the message breaks one of
   *     Pub/Sub's limits
   * @throws IllegalStateException once the bus is closed
   */
  @Override
  public String publish(String topic, Message message) {
    List<SubscriptionQueue> subs = topicOrThrow(topic);
    PubSubLimits.check(topic, message);
    return deliver(subs, message);
  }

  /**
   * As {@link MessageBus#subscribe}. The first subscribe of a subscription fixes its dead-letter
   * topic, attempts and backoff; later subscribers only add workers.
   *
   * @throws IllegalArgumentException if the topic or the dead-letter topic does not exist, or the
   *     subscription exists on another topic
   */
  @Override
  public Subscription subscribe(
      String topic, String subscription, SubscriptionSettings settings, MessageHandler handler) {
    checkName("subscription", subscription);
    List<SubscriptionQueue> subs = topicOrThrow(topic);
    if (settings.deadLetterTopic() != null) topicOrThrow(settings.deadLetterTopic());
    SubscriptionQueue queue;
    synchronized (subscriptions) {
      queue = subscriptions.get(subscription);
      if (queue == null) {
        Random shuffle = options.shuffleSeed() == null ? null : new Random(options.shuffleSeed() ^ subscription.hashCode());
        queue = new SubscriptionQueue(subscription, topic, settings, shuffle);
        subscriptions.put(subscription, queue);
        subs.add(queue);
      } else if (!queue.topic.equals(topic)) {
        throw new IllegalArgumentException("subscription " + subscription + " is on topic " + queue.topic + ", not " + topic);
      }
    }
    Subscriber s = new Subscriber(queue, handler, settings.workers());
    subscribers.add(s);
    s.start();
    return s;
  }

  /**
   * Waits until no message is queued, being handled or waiting for a redelivery on any
   * subscription. Messages published by a handler before it acks count from the moment they are
   * published, so a chain of steps is idle only when its last step is done. Messages held by a
   * subscription whose subscribers were all closed count too, so the bus is not idle then.
   *
   * @return true when idle; false when the timeout passed first or the thread was interrupted
   */
  public boolean awaitIdle(Duration timeout) {
    return outstanding.awaitZero(timeout);
  }

  /** How many deliveries (one per message and subscription) are still owed. */
  public long outstanding() {
    return outstanding.get();
  }

  /** Stops every subscriber (waiting a few seconds for running handlers) and the redelivery timer. */
  @Override
  public void close() {
    if (closed) return;
    closed = true;
    for (Subscriber s : subscribers) s.close();
    redelivery.shutdownNow();
  }

  private String deliver(List<SubscriptionQueue> subs, Message message) {
    String id = Long.toString(ids.incrementAndGet());
    Instant at = options.clock().instant();
    int copies = options.deliverTwice() ? 2 : 1;
    // Count first, so that no copy can be acked before it was counted.
    outstanding.add((long) subs.size() * copies);
    for (SubscriptionQueue q : subs) {
      for (int c = 0; c < copies; c++) q.add(new Pending(id, message, at, 1));
    }
    return id;
  }

  /** What happens to a delivery after its handler answered. */
  private void settle(SubscriptionQueue q, Pending p, Ack ack) {
    if (ack == Ack.ACK) {
      outstanding.done();
    } else if (p.attempt() >= q.settings.maxDeliveryAttempts()) {
      deadLetter(q, p);
      outstanding.done();
    } else {
      Duration wait = q.settings.backoffBefore(p.attempt() + 1);
      try {
        redelivery.schedule(() -> q.add(p.retry()), wait.toNanos(), TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException busClosed) {
        q.add(p.retry()); // nobody will take it, but it is not lost while the bus object lives
      }
    }
  }

  private void deadLetter(SubscriptionQueue q, Pending p) {
    String dlt = q.settings.deadLetterTopic();
    if (dlt == null) {
      LOG.log(Level.WARNING, "dropping message {0} of {1} after {2} attempts (no dead-letter topic)",
          p.id(), q.name, p.attempt());
      return;
    }
    Map<String, String> attrs = new HashMap<>(p.message().attributes());
    attrs.put(DEAD_LETTER_SOURCE, q.name);
    attrs.put(DELIVERY_ATTEMPTS, Integer.toString(p.attempt()));
    // Not checked against the limits: the two added attributes must not make it undeliverable.
    deliver(topics.get(dlt), new Message(p.message().data(), attrs));
  }

  private List<SubscriptionQueue> topicOrThrow(String topic) {
    if (closed) throw new IllegalStateException("the bus is closed");
    List<SubscriptionQueue> subs = topic == null ? null : topics.get(topic);
    if (subs == null) throw new IllegalArgumentException("no topic " + topic);
    return subs;
  }

  private static void checkName(String what, String name) {
    if (name == null || name.isEmpty() || name.length() > 255 || name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      throw new IllegalArgumentException("bad " + what + " name '" + name + "'");
    }
  }

  /** One subscribe call: its worker threads take from the subscription's queue. */
  private final class Subscriber implements Subscription {
    private final SubscriptionQueue queue;
    private final MessageHandler handler;
    private final Thread[] workers;
    private volatile boolean stopped;

    Subscriber(SubscriptionQueue queue, MessageHandler handler, int workers) {
      this.queue = queue;
      this.handler = handler;
      this.workers = new Thread[workers];
      int n = queue.nextSubscriberNumber();
      for (int i = 0; i < workers; i++) {
        Thread t = new Thread(this::work, queue.name + "-" + n + "-" + (i + 1));
        t.setDaemon(true);
        this.workers[i] = t;
      }
    }

    void start() {
      for (Thread t : workers) t.start();
    }

    private void work() {
      while (!stopped) {
        Pending p;
        try {
          p = queue.take(() -> stopped);
        } catch (InterruptedException e) {
          continue; // only close() stops a worker, and it sets stopped first
        }
        if (p == null) return;
        Ack ack = run(p);
        Thread.interrupted(); // an interrupt aimed at the handler (a step timeout) is not ours
        settle(queue, p, ack);
      }
    }

    private Ack run(Pending p) {
      try {
        Ack ack = handler.handle(new Delivery(p.id(), p.message(), p.attempt(), p.publishTime()));
        return ack == null ? Ack.NACK : ack;
      } catch (Throwable e) {
        LOG.log(Level.WARNING, "handler of " + queue.name + " threw on message " + p.id() + " attempt " + p.attempt(), e);
        return Ack.NACK;
      }
    }

    /** Stops taking messages and waits (a while) for running handlers to return. */
    @Override
    public void close() {
      stopped = true;
      queue.wakeAll();
      long deadline = System.nanoTime() + HANDLER_GRACE.toNanos();
      for (Thread t : workers) {
        if (t == Thread.currentThread()) continue; // a handler closing its own subscription
        try {
          t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        if (t.isAlive()) t.interrupt();
      }
      subscribers.remove(this);
    }
  }
}
