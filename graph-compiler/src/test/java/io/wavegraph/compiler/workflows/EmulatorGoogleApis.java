package io.wavegraph.compiler.workflows;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcCallContext;
import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.rpc.DeadlineExceededException;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.pubsub.v1.stub.GrpcSubscriberStub;
import com.google.cloud.pubsub.v1.stub.SubscriberStubSettings;
import com.google.pubsub.v1.AcknowledgeRequest;
import com.google.pubsub.v1.ModifyAckDeadlineRequest;
import com.google.pubsub.v1.PullRequest;
import com.google.pubsub.v1.PullResponse;
import com.google.pubsub.v1.ReceivedMessage;
import com.google.pubsub.v1.Subscription;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.wavegraph.core.pipeline.PipelineListener;
import io.wavegraph.functions.BatchJobMain;
import io.wavegraph.testkit.FakeGcsServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;

/**
 * The connectors a batch workflow calls, answered by real local services: Pub/Sub {@code
 * subscriptions.pull/acknowledge/modifyAckDeadline} by the Pub/Sub emulator (gRPC, plaintext, no
 * credentials), Cloud Storage {@code objects.insert} by a {@link FakeGcsServer}, Firestore {@code
 * documents.get} by the Firestore emulator, and Cloud Run {@code jobs.run} by running {@link
 * BatchJobMain} in process once per task, with the environment {@link #jobEnv} gives it. {@code
 * sys.sleep} moves the {@link VirtualClock} at once (while a job runs, after a short real pause, so
 * the branch that keeps the messages held does not spin on the emulator).
 */
final class EmulatorGoogleApis implements Connectors, AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** A pull that finds nothing waits this long on the emulator before it answers empty. */
  private static final Duration EMPTY_PULL = Duration.ofSeconds(1);

  private final VirtualClock clock;
  private final FakeGcsServer gcs;
  private final Firestore ledger;
  private final Function<String, Map<String, String>> jobEnv;
  private final ManagedChannel channel;
  private final GrpcSubscriberStub subscriber;
  final List<String> calls = new ArrayList<>();
  final List<Object> logs = new ArrayList<>();
  /** Per job run: the exit status of each task, in task order. */
  final List<List<Integer>> jobExits = new ArrayList<>();
  private boolean jobRunning;
  /** Runs one task (its whole environment) and returns its exit status; by default in process. */
  interface TaskRunner {
    int run(Map<String, String> env, PrintStream err);
  }

  /** How tasks run: the chaos suite runs each in its own process, to kill it mid-manifest. */
  volatile TaskRunner tasks = (env, err) -> BatchJobMain.run(env, PipelineListener.none(), System.out, err);

  /**
   * @param jobEnv the environment of a task of the job, but for the task index and count, given
   *     the manifest URI the workflow passes in {@code WAVEGRAPH_MANIFEST}
   */
  EmulatorGoogleApis(VirtualClock clock, String pubsubHost, FakeGcsServer gcs, Firestore ledger,
      Function<String, Map<String, String>> jobEnv) {
    this.clock = clock;
    this.gcs = gcs;
    this.ledger = ledger;
    this.jobEnv = jobEnv;
    this.channel = ManagedChannelBuilder.forTarget(pubsubHost).usePlaintext().build();
    try {
      this.subscriber = GrpcSubscriberStub.create(SubscriberStubSettings.newBuilder()
          .setTransportChannelProvider(FixedTransportChannelProvider.create(GrpcTransportChannel.create(channel)))
          .setCredentialsProvider(NoCredentialsProvider.create())
          .build());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Creates a pull subscription as the generated Terraform does (ack deadline 600 s). */
  void createPullSubscription(String subscription, String topic) {
    subscriber.createSubscriptionCallable().call(Subscription.newBuilder().setName(subscription).setTopic(topic)
        .setAckDeadlineSeconds(600).build());
  }

  @Override
  public boolean has(String name) {
    return FakeGoogleApis.BATCH_CONNECTORS.contains(name);
  }

  @Override
  public Object call(String name, Map<String, Object> args) {
    synchronized (this) {
      calls.add(name.substring(name.lastIndexOf('.') + 1));
    }
    return switch (name) {
      case "googleapis.pubsub.v1.projects.subscriptions.pull" -> pull(args);
      case "googleapis.pubsub.v1.projects.subscriptions.acknowledge" -> acknowledge(args);
      case "googleapis.pubsub.v1.projects.subscriptions.modifyAckDeadline" -> modifyAckDeadline(args);
      case "googleapis.storage.v1.objects.insert" -> insert(args);
      case "googleapis.firestore.v1.projects.databases.documents.get" -> getDocument(Values.text(args.get("name")));
      case "googleapis.run.v2.projects.locations.jobs.run" -> runJob(args);
      case "sys.sleep" -> sleep(((Number) args.get("seconds")).longValue());
      case "sys.log" -> {
        synchronized (this) {
          logs.add(args);
        }
        yield null;
      }
      default -> throw new Unsupported("connector " + name);
    };
  }

  // --- Pub/Sub --------------------------------------------------------------------------------

  private Object pull(Map<String, Object> args) {
    int max = ((Number) Values.map(args.get("body")).get("maxMessages")).intValue();
    PullResponse r;
    try {
      r = subscriber.pullCallable().call(
          PullRequest.newBuilder().setSubscription(Values.text(args.get("subscription"))).setMaxMessages(max).build(),
          GrpcCallContext.createDefault().withTimeoutDuration(EMPTY_PULL));
    } catch (DeadlineExceededException e) {
      r = PullResponse.getDefaultInstance(); // nothing came: the REST API answers {} too
    }
    List<Object> received = new ArrayList<>();
    for (ReceivedMessage m : r.getReceivedMessagesList()) {
      Map<String, Object> message = new LinkedHashMap<>();
      message.put("data", Base64.getEncoder().encodeToString(m.getMessage().getData().toByteArray()));
      message.put("attributes", new LinkedHashMap<String, Object>(m.getMessage().getAttributesMap()));
      message.put("messageId", m.getMessage().getMessageId());
      Map<String, Object> one = new LinkedHashMap<>();
      one.put("ackId", m.getAckId());
      one.put("message", message);
      received.add(one);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    if (!received.isEmpty()) out.put("receivedMessages", received);
    return out;
  }

  private static List<String> ackIds(Map<String, Object> args) {
    List<String> ids = new ArrayList<>();
    for (Object o : Values.list(Values.map(args.get("body")).get("ackIds"))) ids.add(Values.text(o));
    return ids;
  }

  private Object acknowledge(Map<String, Object> args) {
    subscriber.acknowledgeCallable().call(AcknowledgeRequest.newBuilder()
        .setSubscription(Values.text(args.get("subscription"))).addAllAckIds(ackIds(args)).build());
    return new LinkedHashMap<>();
  }

  private Object modifyAckDeadline(Map<String, Object> args) {
    int seconds = ((Number) Values.map(args.get("body")).get("ackDeadlineSeconds")).intValue();
    subscriber.modifyAckDeadlineCallable().call(ModifyAckDeadlineRequest.newBuilder()
        .setSubscription(Values.text(args.get("subscription"))).addAllAckIds(ackIds(args))
        .setAckDeadlineSeconds(seconds).build());
    return new LinkedHashMap<>();
  }

  // --- Cloud Storage, Firestore, sys ----------------------------------------------------------

  private Object insert(Map<String, Object> args) {
    String bucket = Values.text(args.get("bucket"));
    String object = Values.text(args.get("name"));
    try {
      // As the connector sends it: the body as JSON.
      long generation = gcs.putObject(bucket, object, JSON.writeValueAsBytes(args.get("body")));
      return Map.of("bucket", bucket, "name", object, "generation", Long.toString(generation));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Object getDocument(String name) {
    // projects/P/databases/D/documents/ledger/ID: the emulator's client is bound to P and D.
    String[] parts = name.split("/");
    if (parts.length != 7 || !parts[4].equals("documents")) throw WorkflowError.http(400, "not a document name: " + name);
    DocumentSnapshot d;
    try {
      d = ledger.collection(parts[5]).document(parts[6]).get().get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("Firestore emulator: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    if (!d.exists()) throw WorkflowError.http(404, "document not found: " + name);
    Map<String, Object> fields = new LinkedHashMap<>();
    String state = d.getString("state");
    if (state != null) fields.put("state", Map.of("stringValue", state));
    var t = d.getUpdateTime();
    return Map.of("name", name, "fields", fields, "updateTime", Instant.ofEpochSecond(t.getSeconds(), t.getNanos()).toString());
  }

  private Object sleep(long seconds) {
    if (seconds < 0) throw WorkflowError.of("ValueError", "negative sleep");
    synchronized (this) {
      if (jobRunning) {
        try {
          wait(200); // or until the job ends
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
      }
    }
    clock.advanceTo(clock.now().plusSeconds(seconds));
    return null;
  }

  // --- Cloud Run ------------------------------------------------------------------------------

  private Object runJob(Map<String, Object> args) {
    Map<String, Object> overrides = Values.map(Values.map(args.get("body")).get("overrides"));
    Map<String, Object> container = Values.map(Values.list(overrides.get("containerOverrides")).get(0));
    String manifest = null;
    for (Object e : Values.list(container.get("env"))) {
      if (Values.text(Values.map(e).get("name")).equals(BatchJobMain.MANIFEST)) manifest = Values.text(Values.map(e).get("value"));
    }
    int tasks = ((Number) overrides.get("taskCount")).intValue();
    List<Integer> exits = new ArrayList<>();
    synchronized (this) {
      jobRunning = true;
      jobExits.add(exits);
    }
    String failure = null;
    try {
      for (int i = 0; i < tasks; i++) {
        Map<String, String> env = new LinkedHashMap<>(jobEnv.apply(manifest));
        env.put("CLOUD_RUN_TASK_INDEX", Integer.toString(i));
        env.put("CLOUD_RUN_TASK_COUNT", Integer.toString(tasks));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = this.tasks.run(env, new PrintStream(err, true, UTF_8));
        synchronized (this) {
          exits.add(exit);
        }
        if (exit != 0 && failure == null) {
          failure = "task " + i + " of " + tasks + " exited with code " + exit + ": " + err.toString(UTF_8).strip();
        }
      }
    } finally {
      synchronized (this) {
        jobRunning = false;
        notifyAll();
      }
    }
    // As the connector raises it when the operation ends in an error.
    if (failure != null) throw WorkflowError.of("OperationError", "execution failed: " + failure);
    return Map.of("name", Values.text(args.get("name")) + "/executions/1", "taskCount", (long) tasks, "succeededCount", (long) tasks);
  }

  @Override
  public void close() {
    subscriber.close();
    channel.shutdownNow();
  }
}
