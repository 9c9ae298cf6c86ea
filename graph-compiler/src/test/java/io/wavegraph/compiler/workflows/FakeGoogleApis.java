package io.wavegraph.compiler.workflows;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.wavegraph.core.port.LedgerDocumentId;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * In-memory fakes of the Google APIs a batch workflow calls, on a {@link VirtualClock#manual}
 * clock that only {@code sys.sleep} moves:
 *
 * <ul>
 *   <li>a Pub/Sub pull subscription with ack deadlines: a pulled message is outstanding until its
 *       deadline, then (checked at every Pub/Sub call) available again with a new ack id, as
 *       Pub/Sub redelivers it; {@code acknowledge} and {@code modifyAckDeadline} act on current ack
 *       ids only (stale ones are ignored, as on a subscription without exactly-once delivery);
 *   <li>Cloud Storage {@code objects.insert} into a map of objects;
 *   <li>Cloud Run {@code jobs.run}: a {@link Job} sees the manifest and the task count, writes the
 *       ledger, and may fail; the execution takes {@link #jobSeconds} of virtual time, which pass
 *       only as the workflow sleeps in another branch (a workflow that stopped sleeping would hang
 *       the job, so it gives up after a few real seconds). Between a manifest's write and its job's
 *       start, a sleep waits for the start, so a branch that sleeps beside the job cannot run
 *       virtual time ahead of it;
 *   <li>Firestore {@code documents.get} of ledger records by {@link LedgerDocumentId}.
 * </ul>
 */
final class FakeGoogleApis implements Connectors {
  static final String PROJECT = "test-project";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What the job does with a manifest; throw {@link WorkflowError} to fail the execution. */
  interface Job {
    void run(Map<String, Object> manifest, long taskCount, FakeGoogleApis cloud);
  }

  /** One message of the subscription. */
  static final class Message {
    final String id;
    final String data;
    final Instant publishedAt;
    int deliveries;
    String ackId; // of the current delivery; null while available or acked
    Instant deadline;
    boolean acked;
    int expiredWhileHeld;

    Message(String id, String data, Instant publishedAt) {
      this.id = id;
      this.data = data;
      this.publishedAt = publishedAt;
    }

    boolean outstanding() {
      return ackId != null;
    }
  }

  private final VirtualClock clock;
  private final String subscription;
  private final String ledgerPrefix;
  final List<Message> messages = new ArrayList<>();
  final Map<String, Object> objects = new LinkedHashMap<>();
  final Map<String, String> ledger = new LinkedHashMap<>(); // document id -> state
  final List<String> calls = new ArrayList<>();
  final List<Map<String, Object>> jobRuns = new ArrayList<>();
  final List<Object> logs = new ArrayList<>();
  /** At most this many messages per pull, as Pub/Sub may return fewer than asked. */
  int maxPerPull = 1000;
  long jobSeconds = 20 * 60;
  Job job = (manifest, tasks, cloud) -> {};
  private int nextAck;
  private boolean jobPending; // a manifest was written and its job has not started yet

  FakeGoogleApis(VirtualClock clock, String subscription, String ledgerDatabase) {
    this.clock = clock;
    this.subscription = "projects/" + PROJECT + "/subscriptions/" + subscription;
    this.ledgerPrefix = "projects/" + PROJECT + "/databases/" + ledgerDatabase + "/documents/ledger/";
  }

  // --- what the test does ---------------------------------------------------------------------

  /** Publishes a message with this data (usually an envelope's JSON) to the subscription's topic. */
  synchronized Message publish(String data) {
    return publishAt(Instant.EPOCH, data);
  }

  /** A message published at {@code at} on the virtual clock: no pull sees it before. */
  synchronized Message publishAt(Instant at, String data) {
    Message m = new Message(String.valueOf(messages.size() + 1), data, at);
    messages.add(m);
    return m;
  }

  private boolean pullable(Message m) {
    return !m.acked && !m.outstanding() && !m.publishedAt.isAfter(clock.now());
  }

  synchronized void record(String step, String item, String state) {
    ledger.put(LedgerDocumentId.of(step, item), state);
  }

  synchronized List<Message> available() {
    expire();
    return messages.stream().filter(m -> !m.acked && !m.outstanding()).toList(); // published, or to be
  }

  synchronized int expiredWhileHeld() {
    return messages.stream().mapToInt(m -> m.expiredWhileHeld).sum();
  }

  // --- Connectors -----------------------------------------------------------------------------

  /** The connectors a batch workflow calls, and so what a stand-in for Google's APIs must serve. */
  static final Set<String> BATCH_CONNECTORS = Set.of("googleapis.pubsub.v1.projects.subscriptions.pull",
      "googleapis.pubsub.v1.projects.subscriptions.acknowledge", "googleapis.pubsub.v1.projects.subscriptions.modifyAckDeadline",
      "googleapis.storage.v1.objects.insert", "googleapis.run.v2.projects.locations.jobs.run",
      "googleapis.firestore.v1.projects.databases.documents.get", "sys.sleep", "sys.log");

  @Override
  public boolean has(String name) {
    return BATCH_CONNECTORS.contains(name);
  }

  @Override
  public Object call(String name, Map<String, Object> args) {
    if (name.equals("googleapis.run.v2.projects.locations.jobs.run")) return runJob(args); // not under the lock: it waits
    synchronized (this) {
      calls.add(name.substring(name.lastIndexOf('.') + 1));
      return switch (name) {
        case "googleapis.pubsub.v1.projects.subscriptions.pull" -> pull(args);
        case "googleapis.pubsub.v1.projects.subscriptions.acknowledge" -> acknowledge(args);
        case "googleapis.pubsub.v1.projects.subscriptions.modifyAckDeadline" -> modifyAckDeadline(args);
        case "googleapis.storage.v1.objects.insert" -> insert(args);
        case "googleapis.firestore.v1.projects.databases.documents.get" -> getDocument(Values.text(args.get("name")));
        case "sys.sleep" -> sleep(((Number) args.get("seconds")).longValue());
        case "sys.log" -> {
          logs.add(args);
          yield null;
        }
        default -> throw new Unsupported("connector " + name);
      };
    }
  }

  // --- Pub/Sub --------------------------------------------------------------------------------

  private void checkSubscription(Map<String, Object> args) {
    if (!subscription.equals(args.get("subscription"))) throw WorkflowError.http(404, "no subscription " + args.get("subscription"));
  }

  /** Outstanding messages past their deadline are available again, as Pub/Sub redelivers them. */
  private void expire() {
    Instant now = clock.now();
    for (Message m : messages) {
      if (m.outstanding() && now.isAfter(m.deadline)) {
        m.ackId = null;
        m.expiredWhileHeld++;
      }
    }
  }

  private Object pull(Map<String, Object> args) {
    checkSubscription(args);
    expire();
    long max = ((Number) Values.map(args.get("body")).get("maxMessages")).longValue();
    if (max < 1 || max > 1000) throw WorkflowError.http(400, "maxMessages must be 1..1000, got " + max);
    List<Object> received = new ArrayList<>();
    for (Message m : messages) {
      if (received.size() >= Math.min(max, maxPerPull)) break;
      if (!pullable(m)) continue;
      m.deliveries++;
      m.ackId = "ack-" + m.id + "-" + (++nextAck);
      m.deadline = clock.now().plusSeconds(600); // the subscription's ack_deadline_seconds
      Map<String, Object> message = new LinkedHashMap<>();
      message.put("data", Base64.getEncoder().encodeToString(m.data.getBytes(StandardCharsets.UTF_8)));
      message.put("messageId", m.id);
      message.put("publishTime", "2026-01-01T00:00:00Z");
      received.add(Map.of("ackId", m.ackId, "message", message, "deliveryAttempt", (long) m.deliveries));
    }
    return received.isEmpty() ? new LinkedHashMap<>() : new LinkedHashMap<>(Map.of("receivedMessages", received));
  }

  private List<String> ackIds(Map<String, Object> args) {
    checkSubscription(args);
    List<String> ids = new ArrayList<>();
    for (Object o : Values.list(Values.map(args.get("body")).get("ackIds"))) ids.add(Values.text(o));
    if (ids.isEmpty()) throw WorkflowError.http(400, "no ack ids");
    return ids;
  }

  private Message current(String ackId) {
    for (Message m : messages) if (ackId.equals(m.ackId)) return m;
    return null; // stale: the message was redelivered or acked since
  }

  private Object acknowledge(Map<String, Object> args) {
    List<String> ids = ackIds(args);
    expire();
    for (String id : ids) {
      Message m = current(id);
      if (m == null) continue;
      m.acked = true;
      m.ackId = null;
    }
    return new LinkedHashMap<>();
  }

  private Object modifyAckDeadline(Map<String, Object> args) {
    List<String> ids = ackIds(args);
    long seconds = ((Number) Values.map(args.get("body")).get("ackDeadlineSeconds")).longValue();
    if (seconds < 0 || seconds > 600) throw WorkflowError.http(400, "ackDeadlineSeconds must be 0..600, got " + seconds);
    expire();
    for (String id : ids) {
      Message m = current(id);
      if (m == null) continue;
      if (seconds == 0) m.ackId = null; // nack: available again at once
      else m.deadline = clock.now().plusSeconds(seconds);
    }
    return new LinkedHashMap<>();
  }

  // --- Cloud Storage, Firestore, sys ----------------------------------------------------------

  private Object insert(Map<String, Object> args) {
    String uri = "gs://" + Values.text(args.get("bucket")) + "/" + Values.text(args.get("name"));
    if (objects.containsKey(uri)) throw new IllegalStateException("a manifest was written twice: " + uri);
    try {
      // As the connector sends it: the body as JSON.
      objects.put(uri, Values.copy(JSON.readValue(JSON.writeValueAsBytes(args.get("body")), Object.class)));
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
    jobPending = true;
    return Map.of("bucket", args.get("bucket"), "name", args.get("name"), "generation", "1");
  }

  private Object getDocument(String name) {
    if (!name.startsWith(ledgerPrefix)) throw WorkflowError.http(404, "no database or collection for " + name);
    String state = ledger.get(name.substring(ledgerPrefix.length()));
    if (state == null) throw WorkflowError.http(404, "document not found: " + name);
    Map<String, Object> fields = new LinkedHashMap<>();
    if (!state.isEmpty()) fields.put("state", Map.of("stringValue", state));
    return Map.of("name", name, "fields", fields, "updateTime", clock.now().toString());
  }

  private Object sleep(long seconds) {
    if (seconds < 0) throw WorkflowError.of("ValueError", "negative sleep");
    long realDeadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (jobPending && System.nanoTime() < realDeadline) {
      try {
        wait(Math.max(1, (realDeadline - System.nanoTime()) / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    clock.advanceTo(clock.now().plusSeconds(seconds));
    notifyAll(); // a running job may have reached its end
    return null;
  }

  // --- Cloud Run ------------------------------------------------------------------------------

  @SuppressWarnings("unchecked")
  private Object runJob(Map<String, Object> args) {
    Map<String, Object> overrides = Values.map(Values.map(args.get("body")).get("overrides"));
    Map<String, Object> container = Values.map(Values.list(overrides.get("containerOverrides")).get(0));
    Map<String, String> env = new LinkedHashMap<>();
    for (Object e : Values.list(container.get("env"))) env.put(Values.text(Values.map(e).get("name")), Values.text(Values.map(e).get("value")));
    long tasks = ((Number) overrides.get("taskCount")).longValue();
    Map<String, Object> manifest;
    Instant end;
    synchronized (this) {
      calls.add("run");
      Map<String, Object> run = new LinkedHashMap<>();
      run.put("name", args.get("name"));
      run.put("env", env);
      run.put("taskCount", tasks);
      run.put("at", clock.now());
      jobRuns.add(run);
      jobPending = false;
      notifyAll();
      Object m = objects.get(env.get("WAVEGRAPH_MANIFEST"));
      if (m == null) throw new IllegalStateException("the job was run before its manifest was written: " + env);
      manifest = (Map<String, Object>) m;
      end = clock.now().plusSeconds(jobSeconds);
      long realDeadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (clock.now().isBefore(end)) {
        long left = realDeadline - System.nanoTime();
        if (left <= 0) throw new IllegalStateException("virtual time stood still while the job ran: nothing kept the messages held");
        try {
          wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
      }
    }
    job.run(manifest, tasks, this);
    synchronized (this) {
      return Map.of("name", args.get("name") + "/executions/1", "taskCount", tasks, "succeededCount", tasks);
    }
  }

  /** A failed execution, as the connector raises it when the operation ends in an error. */
  static WorkflowError executionFailed(String why) {
    return WorkflowError.of("OperationError", "execution failed: " + why);
  }
}
