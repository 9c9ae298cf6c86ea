package io.wavegraph.gcp;

import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.FirestoreOptions;
import io.wavegraph.core.envelope.Envelope;
import io.wavegraph.core.graph.ResolvedGraph;
import io.wavegraph.core.pipeline.GraphRuntime;
import io.wavegraph.core.pipeline.Layout;
import io.wavegraph.core.pipeline.PipelineListener;
import io.wavegraph.core.pipeline.Ports;
import io.wavegraph.core.pipeline.WorkdirLock;
import io.wavegraph.core.port.BlobStore;
import io.wavegraph.core.port.MessageBus;
import io.wavegraph.core.port.SubscriptionSettings;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A graph on gcloud's Pub/Sub and Firestore emulators, with blob stores the caller gives (a
 * directory, or a Cloud Storage fake): the cloud wiring on one machine. The emulators are those
 * named by {@code PUBSUB_EMULATOR_HOST} / {@code FIRESTORE_EMULATOR_HOST}, or, where a variable
 * is unset, one started here on a free loopback port and stopped by {@link #close()} (its state
 * goes with it). Topics are {@code <graph>-<step>}; the ledger is the Firestore collection
 * {@code <graph>-ledger} of the project {@code GOOGLE_CLOUD_PROJECT}, else the graph's
 * {@code gcp.project}, else {@value #DEFAULT_PROJECT}.
 *
 * <p>Pub/Sub cannot say when a run is idle, so the bus is wrapped in a {@link CountingBus}, and
 * every dead-letter topic has a subscriber that logs to {@value #DEAD_LETTERS} and acknowledges.
 */
public final class EmulatorRuntime implements AutoCloseable {
  public static final String DEFAULT_PROJECT = "wavegraph-local";
  public static final String DEAD_LETTERS = "dead-letters.jsonl";
  public static final String PROJECT_VARIABLE = "GOOGLE_CLOUD_PROJECT";

  /**
   * How to run. {@code env} is where the emulator variables are read (normally {@code
   * System.getenv()}); {@code input} and {@code output} are the blob stores; {@code workdir} holds
   * the lock, scratch space and the dead-letter log.
   */
  public record Config(Map<String, String> env, BlobStore input, BlobStore output, Path workdir, int threads,
      Duration minBackoff, Duration maxBackoff) {
    public static Config of(Map<String, String> env, BlobStore input, BlobStore output, Path workdir, int threads) {
      return new Config(env, input, output, workdir, threads, Duration.ofMillis(100), Duration.ofSeconds(5));
    }
  }

  private final List<Emulator> started = new ArrayList<>();
  private final String project;
  private final String pubsubHost;
  private final String firestoreHost;
  private final WorkdirLock lock;
  private CountingBus bus;
  private PubSubBus pubsub;
  private final List<String> subscriptionNames = new java.util.concurrent.CopyOnWriteArrayList<>();
  private FirestoreLedger ledger;
  private GraphRuntime runtime;
  private final Thread stopOnExit = new Thread(this::stopEmulators, "wavegraph-stop-emulators");

  private EmulatorRuntime(ResolvedGraph graph, Config config, PipelineListener listener) throws IOException {
    Path workdir = config.workdir();
    lock = WorkdirLock.acquire(workdir);
    project = project(graph, config.env());
    try {
      pubsubHost = hostOrStart(Emulator.Kind.PUBSUB, config.env());
      firestoreHost = hostOrStart(Emulator.Kind.FIRESTORE, config.env());
      pubsub = PubSubBus.forEmulator(pubsubHost, project);
      bus = new CountingBus(runScoped(pubsub, subscriptionNames));
      ledger = ledger(firestoreHost, project, graph);
      Clock clock = Clock.systemUTC();
      Ports ports = new Ports(bus, config.input(), config.output(), ledger, clock);
      String owner = "emulators:" + ManagementFactory.getRuntimeMXBean().getName();
      GraphRuntime.Settings settings = new GraphRuntime.Settings(config.threads(), config.minBackoff(),
          config.maxBackoff(), workdir.resolve("scratch"), owner);
      runtime = new GraphRuntime(graph, ports, new Layout(graph.graph().name() + "-"), settings, listener);
      runtime.start();
      runtime.logDeadLetters(workdir.resolve(DEAD_LETTERS), "-log");
      runtime.resumeBatches();
    } catch (RuntimeException | Error e) {
      close();
      throw e;
    }
  }

  /**
   * Opens the runtime: finds or starts the emulators, creates topics and subscriptions, and starts
   * delivering.
   *
   * @throws IllegalStateException when an emulator is neither named nor installed, or does not answer
   * @throws IOException also when another process holds the work directory
   */
  public static EmulatorRuntime open(ResolvedGraph graph, Config config, PipelineListener listener) throws IOException {
    return new EmulatorRuntime(graph, config, listener);
  }

  /** The project id: {@code GOOGLE_CLOUD_PROJECT}, else the graph's {@code gcp.project}, else the default. */
  public static String project(ResolvedGraph graph, Map<String, String> env) {
    String p = env.get(PROJECT_VARIABLE);
    if (p != null && !p.isBlank()) return p.strip();
    if (graph.graph().gcp() != null && graph.graph().gcp().project() != null) return graph.graph().gcp().project();
    return DEFAULT_PROJECT;
  }

  /** The emulator host named by the environment ({@code host:port}), if any. */
  public static Optional<String> namedHost(Emulator.Kind kind, Map<String, String> env) {
    String h = env.get(kind.hostVariable());
    return h == null || h.isBlank() ? Optional.empty() : Optional.of(h.strip());
  }

  /** Why the emulators cannot be used here (neither named nor installed), or empty. */
  public static Optional<String> whyUnavailable(Map<String, String> env) {
    for (Emulator.Kind k : Emulator.Kind.values()) {
      if (namedHost(k, env).isPresent()) continue;
      Optional<String> why = Emulator.whyUnavailable(k);
      if (why.isPresent()) return Optional.of(k.hostVariable() + " is unset and " + why.get());
    }
    return Optional.empty();
  }

  /** The ledger in the Firestore emulator at {@code host}; closing it closes its client. */
  public static FirestoreLedger ledger(String host, String project, ResolvedGraph graph) {
    Firestore db = FirestoreOptions.newBuilder().setProjectId(project).setEmulatorHost(host).build().getService();
    return new FirestoreLedger(db, collection(graph), FirestoreLedger.RETENTION, Backoff.defaults(), true);
  }

  /** The ledger collection of a graph on the emulator: {@code <graph>-ledger}. */
  public static String collection(ResolvedGraph graph) {
    return graph.graph().name() + "-ledger";
  }

  /**
   * The bus with this run's own subscriptions: each name gets a random suffix, and {@link #close()}
   * deletes them. A subscription left from an earlier run on a long-lived emulator would share
   * this run's messages with a stream that is gone (they come back only after the ack deadline).
   */
  private static MessageBus runScoped(PubSubBus bus, List<String> names) {
    String run = Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong() >>> 24);
    return new MessageBus() {
      public void createTopic(String topic) { bus.createTopic(topic); }
      public String publish(String topic, io.wavegraph.core.port.Message m) { return bus.publish(topic, m); }
      public Subscription subscribe(String topic, String subscription, SubscriptionSettings settings,
          io.wavegraph.core.port.MessageHandler handler) {
        String name = subscription + "-" + run;
        names.add(name);
        return bus.subscribe(topic, name, settings, handler);
      }
      public void close() { bus.close(); }
    };
  }

  private String hostOrStart(Emulator.Kind kind, Map<String, String> env) {
    Optional<String> named = namedHost(kind, env);
    if (named.isPresent()) {
      if (!Emulator.answers(named.get())) {
        throw new IllegalStateException(kind.hostVariable() + "=" + named.get() + " but no " + kind + " emulator answers there");
      }
      return named.get();
    }
    Emulator.whyUnavailable(kind).ifPresent(why -> {
      throw new IllegalStateException(kind.hostVariable() + " is unset and " + why);
    });
    Emulator e = Emulator.start(kind, "512m", Duration.ofSeconds(90));
    synchronized (started) {
      if (started.isEmpty()) Runtime.getRuntime().addShutdownHook(stopOnExit);
      started.add(e);
    }
    return e.host();
  }

  public String project() {
    return project;
  }

  public String pubsubHost() {
    return pubsubHost;
  }

  public String firestoreHost() {
    return firestoreHost;
  }

  /** The emulators this runtime started (and will stop), as {@code KIND emulator at host}. */
  public List<String> startedEmulators() {
    synchronized (started) {
      return started.stream().map(Emulator::toString).toList();
    }
  }

  public Layout layout() {
    return runtime.layout();
  }

  public FirestoreLedger ledger() {
    return ledger;
  }

  /** Sends an envelope to a step. */
  public void publish(String step, Envelope envelope) {
    runtime.publish(step, envelope);
  }

  /**
   * Waits until every message of this run has been acknowledged (or dead-lettered and logged) and
   * no batch is open (open batches are sealed and run once nothing else is left).
   */
  public boolean awaitIdle(Duration timeout) {
    return runtime.awaitIdle(timeout, bus::awaitIdle, bus::outstanding);
  }

  public long outstanding() {
    return bus.outstanding();
  }


  private void stopEmulators() {
    synchronized (started) {
      for (int i = started.size() - 1; i >= 0; i--) started.get(i).close();
      started.clear();
    }
  }

  /** Stops delivering, closes the clients, stops the emulators started here, releases the work directory. */
  @Override
  public void close() {
    try {
      if (runtime != null) runtime.close();
      for (String name : subscriptionNames) {
        try {
          pubsub.deleteSubscription(name);
        } catch (RuntimeException e) {
          // the emulator keeps it; harmless
        }
      }
      if (bus != null) bus.close();
      if (ledger != null) ledger.close();
    } finally {
      stopEmulators();
      try {
        Runtime.getRuntime().removeShutdownHook(stopOnExit);
      } catch (IllegalStateException | IllegalArgumentException ignored) {
        // shutting down already, or never registered
      }
      lock.close();
    }
  }
}
