package io.wavegraph.gcp;

import com.google.api.core.ApiFuture;
import com.google.api.gax.batching.BatchingSettings;
import com.google.api.gax.batching.FlowControlSettings;
import com.google.api.gax.core.CredentialsProvider;
import com.google.api.gax.core.InstantiatingExecutorProvider;
import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.retrying.RetrySettings;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.api.gax.rpc.TransportChannelProvider;
import com.google.cloud.pubsub.v1.AckReplyConsumer;
import com.google.cloud.pubsub.v1.Publisher;
import com.google.cloud.pubsub.v1.Subscriber;
import com.google.cloud.pubsub.v1.SubscriptionAdminClient;
import com.google.cloud.pubsub.v1.SubscriptionAdminSettings;
import com.google.cloud.pubsub.v1.TopicAdminClient;
import com.google.cloud.pubsub.v1.TopicAdminSettings;
import com.google.protobuf.ByteString;
import com.google.pubsub.v1.DeadLetterPolicy;
import com.google.pubsub.v1.ProjectSubscriptionName;
import com.google.pubsub.v1.PubsubMessage;
import com.google.pubsub.v1.RetryPolicy;
import com.google.pubsub.v1.TopicName;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.wavegraph.core.port.Ack;
import io.wavegraph.core.port.Delivery;
import io.wavegraph.core.port.Message;
import io.wavegraph.core.port.MessageBus;
import io.wavegraph.core.port.MessageHandler;
import io.wavegraph.core.port.SubscriptionSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The {@link MessageBus} on Pub/Sub. Topics and subscriptions are created on demand (idempotent);
 * a subscription gets the settings' retry policy (backoff) and, with a dead-letter topic, a
 * dead-letter policy (Pub/Sub allows 5 to 100 attempts: a smaller limit is raised to 5, the step
 * pipeline dead-letters after its own retries anyway). Delivery is a streaming pull whose flow
 * control admits {@code workers} messages at a time, so at most that many handlers run at once.
 *
 * <p>The delivery attempt is Pub/Sub's own where it reports one (a subscription with a dead-letter
 * policy); otherwise this bus counts deliveries of a message id itself (per process). The
 * attributes the client adds ({@code googclient_*}) are left out of the delivered message.
 *
 * <p>Publishing batches for small messages (up to 100 messages or 1 ms), without ordering keys.
 * Transient publish failures are retried by the client and then by {@link Backoff}; when they
 * persist {@link #publish} throws {@link UncheckedIOException}, which the step pipeline answers
 * with a nack: the message being handled is redelivered, never lost.
 */
public final class PubSubBus implements MessageBus {
  /** Attributes the client library adds on receipt, e.g. {@code googclient_deliveryattempt}. */
  private static final String CLIENT_ATTRIBUTE_PREFIX = "googclient_";
  private final String project;
  private final TransportChannelProvider channels;
  private final CredentialsProvider credentials;
  private final ManagedChannel ownedChannel;
  private final TopicAdminClient topics;
  private final SubscriptionAdminClient subscriptions;
  private final Function<String, Publisher> publisherFactory;
  private final Backoff backoff;
  private final Map<String, Publisher> publishers = new ConcurrentHashMap<>();
  private final List<Running> running = new CopyOnWriteArrayList<>();

  PubSubBus(String project, TransportChannelProvider channels, CredentialsProvider credentials,
      ManagedChannel ownedChannel, Function<String, Publisher> publisherFactory, Backoff backoff) {
    this.project = project;
    this.channels = channels;
    this.credentials = credentials;
    this.ownedChannel = ownedChannel;
    this.backoff = backoff;
    try {
      this.topics = TopicAdminClient.create(TopicAdminSettings.newBuilder()
          .setTransportChannelProvider(channels).setCredentialsProvider(credentials).build());
      this.subscriptions = SubscriptionAdminClient.create(SubscriptionAdminSettings.newBuilder()
          .setTransportChannelProvider(channels).setCredentialsProvider(credentials).build());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.publisherFactory = publisherFactory != null ? publisherFactory : this::newPublisher;
  }

  /** A bus on the real service, with application default credentials. */
  public static PubSubBus create(String project) {
    return new PubSubBus(project, TopicAdminSettings.defaultGrpcTransportProviderBuilder().build(),
        TopicAdminSettings.defaultCredentialsProviderBuilder().build(), null, null, Backoff.defaults());
  }

  /**
   * A bus on an emulator at {@code host} ({@code 127.0.0.1:port}): a plaintext channel and no
   * credentials (the Java client does not read {@code PUBSUB_EMULATOR_HOST} itself).
   */
  public static PubSubBus forEmulator(String host, String project) {
    ManagedChannel channel = ManagedChannelBuilder.forTarget(host).usePlaintext().build();
    return new PubSubBus(project, FixedTransportChannelProvider.create(GrpcTransportChannel.create(channel)),
        NoCredentialsProvider.create(), channel, null, Backoff.defaults());
  }

  @Override
  public void createTopic(String topic) {
    backoff.run("create topic " + topic, () -> {
      try {
        topics.createTopic(TopicName.of(project, topic));
      } catch (com.google.api.gax.rpc.AlreadyExistsException e) {
        // idempotent
      }
      return null;
    });
  }

  @Override
  public String publish(String topic, Message message) {
    PubsubMessage m = PubsubMessage.newBuilder()
        .setData(ByteString.copyFrom(message.data()))
        .putAllAttributes(message.attributes())
        .build();
    return backoff.run("publish to " + topic, () -> {
      Publisher p = publishers.computeIfAbsent(topic, publisherFactory);
      try {
        ApiFuture<String> id = p.publish(m);
        return id.get();
      } catch (Exception e) {
        if (StatusCodes.is(e, "NOT_FOUND")) {
          if (publishers.remove(topic, p)) shutdown(p);
          throw new IllegalArgumentException("no such topic: " + topic, e);
        }
        throw e;
      }
    });
  }

  private Publisher newPublisher(String topic) {
    try {
      return Publisher.newBuilder(TopicName.of(project, topic))
          .setChannelProvider(channels)
          .setCredentialsProvider(credentials)
          .setEnableMessageOrdering(false)
          .setBatchingSettings(BatchingSettings.newBuilder()
              .setElementCountThreshold(100L)
              .setRequestByteThreshold(256L * 1024)
              .setDelayThresholdDuration(Duration.ofMillis(1))
              .build())
          .setRetrySettings(RetrySettings.newBuilder()
              .setInitialRetryDelayDuration(Duration.ofMillis(100))
              .setRetryDelayMultiplier(2)
              .setMaxRetryDelayDuration(Duration.ofSeconds(5))
              .setInitialRpcTimeoutDuration(Duration.ofSeconds(10))
              .setRpcTimeoutMultiplier(1)
              .setMaxRpcTimeoutDuration(Duration.ofSeconds(10))
              .setTotalTimeoutDuration(Duration.ofSeconds(30))
              .build())
          .build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public Subscription subscribe(
      String topic, String subscription, SubscriptionSettings settings, MessageHandler handler) {
    ProjectSubscriptionName name = ProjectSubscriptionName.of(project, subscription);
    createSubscription(topic, name, settings);
    Map<String, Integer> counted = new ConcurrentHashMap<>();
    Subscriber subscriber = Subscriber.newBuilder(name, (PubsubMessage m, AckReplyConsumer reply) -> {
          Integer attempt = Subscriber.getDeliveryAttempt(m);
          if (attempt == null || attempt < 1) attempt = counted.merge(m.getMessageId(), 1, Integer::sum);
          Delivery d = new Delivery(m.getMessageId(), new Message(m.getData().toByteArray(), userAttributes(m)),
              attempt, Instant.ofEpochSecond(m.getPublishTime().getSeconds(), m.getPublishTime().getNanos()));
          Ack ack;
          try {
            ack = handler.handle(d);
          } catch (Exception | Error e) {
            ack = Ack.NACK;
          }
          if (ack == Ack.ACK) {
            counted.remove(m.getMessageId());
            reply.ack();
          } else {
            reply.nack();
          }
        })
        .setChannelProvider(channels)
        .setCredentialsProvider(credentials)
        .setParallelPullCount(1)
        .setFlowControlSettings(FlowControlSettings.newBuilder()
            .setMaxOutstandingElementCount((long) settings.workers())
            .setMaxOutstandingRequestBytes(64L * 1024 * 1024)
            .build())
        .setExecutorProvider(InstantiatingExecutorProvider.newBuilder()
            .setExecutorThreadCount(settings.workers() + 1)
            .build())
        .build();
    subscriber.startAsync().awaitRunning();
    Running r = new Running(subscriber);
    running.add(r);
    return r;
  }

  /** Deletes a subscription (its unacknowledged messages go with it); nothing when it does not exist. */
  public void deleteSubscription(String subscription) {
    backoff.run("delete subscription " + subscription, () -> {
      try {
        subscriptions.deleteSubscription(ProjectSubscriptionName.of(project, subscription));
      } catch (com.google.api.gax.rpc.NotFoundException e) {
        // gone already
      }
      return null;
    });
  }

  /** The message's attributes without those the client library adds ({@code googclient_*}). */
  private static Map<String, String> userAttributes(PubsubMessage m) {
    Map<String, String> all = m.getAttributesMap();
    if (all.keySet().stream().noneMatch(k -> k.startsWith(CLIENT_ATTRIBUTE_PREFIX))) return all;
    Map<String, String> out = new java.util.HashMap<>(all);
    out.keySet().removeIf(k -> k.startsWith(CLIENT_ATTRIBUTE_PREFIX));
    return out;
  }

  private void createSubscription(String topic, ProjectSubscriptionName name, SubscriptionSettings s) {
    com.google.pubsub.v1.Subscription.Builder b = com.google.pubsub.v1.Subscription.newBuilder()
        .setName(name.toString())
        .setTopic(TopicName.of(project, topic).toString())
        .setAckDeadlineSeconds(60)
        .setRetryPolicy(RetryPolicy.newBuilder()
            .setMinimumBackoff(proto(s.minBackoff()))
            .setMaximumBackoff(proto(s.maxBackoff())));
    if (s.deadLetterTopic() != null) {
      b.setDeadLetterPolicy(DeadLetterPolicy.newBuilder()
          .setDeadLetterTopic(TopicName.of(project, s.deadLetterTopic()).toString())
          .setMaxDeliveryAttempts(Math.max(5, Math.min(100, s.maxDeliveryAttempts()))));
    }
    backoff.run("create subscription " + name.getSubscription(), () -> {
      try {
        subscriptions.createSubscription(b.build());
      } catch (com.google.api.gax.rpc.AlreadyExistsException e) {
        // a second subscriber on the same subscription shares its messages
      } catch (com.google.api.gax.rpc.NotFoundException e) {
        throw new IllegalArgumentException("no such topic: " + topic, e);
      }
      return null;
    });
  }

  private static com.google.protobuf.Duration proto(Duration d) {
    return com.google.protobuf.Duration.newBuilder().setSeconds(d.getSeconds()).setNanos(d.getNano()).build();
  }

  @Override
  public void close() {
    running.forEach(Running::close);
    publishers.values().forEach(PubSubBus::shutdown);
    publishers.clear();
    topics.close();
    subscriptions.close();
    try {
      topics.awaitTermination(5, TimeUnit.SECONDS);
      subscriptions.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (ownedChannel != null) {
      ownedChannel.shutdown();
      try {
        ownedChannel.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static void shutdown(Publisher p) {
    p.shutdown();
    try {
      p.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private final class Running implements Subscription {
    private final Subscriber subscriber;

    Running(Subscriber subscriber) {
      this.subscriber = subscriber;
    }

    @Override
    public void close() {
      if (running.remove(this)) {
        try {
          subscriber.stopAsync().awaitTerminated(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException | IllegalStateException e) {
          // stopping anyway; unacknowledged messages are redelivered after their deadline
        }
      }
    }
  }

  @Override
  public String toString() {
    return "PubSubBus[" + project + "]";
  }
}
