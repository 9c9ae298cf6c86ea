package io.wavegraph.functions;

import com.google.cloud.NoCredentials;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.FirestoreOptions;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import io.wavegraph.core.batch.BatchAdmission;
import io.wavegraph.core.graph.ResolvedGraph;
import io.wavegraph.core.pipeline.DeadLetters;
import io.wavegraph.core.pipeline.Layout;
import io.wavegraph.core.pipeline.PipelineEvent;
import io.wavegraph.core.pipeline.PipelineListener;
import io.wavegraph.core.pipeline.Ports;
import io.wavegraph.core.pipeline.StepPipeline;
import io.wavegraph.core.port.MessageBus;
import io.wavegraph.core.port.MessageHandler;
import io.wavegraph.core.step.StepFactory;
import io.wavegraph.gcp.Backoff;
import io.wavegraph.gcp.FirestoreLedger;
import io.wavegraph.gcp.GcsBlobStore;
import io.wavegraph.gcp.PubSubBus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;

/**
 * Everything a step function instance makes once and reuses for every request: its configuration,
 * the Pub/Sub, Cloud Storage and Firestore clients, and the step pipeline. Built from the process
 * environment:
 *
 * <ul>
 *   <li>{@code WAVEGRAPH_CONFIG} (the JSON text) or {@code WAVEGRAPH_CONFIG_FILE} (a path to it);
 *   <li>{@code GOOGLE_CLOUD_PROJECT} overrides {@code gcp.project};
 *   <li>{@code PUBSUB_EMULATOR_HOST}, {@code FIRESTORE_EMULATOR_HOST}, {@code
 *       STORAGE_EMULATOR_HOST} ({@code http://host:port}) point the clients at local services,
 *       without credentials.
 * </ul>
 *
 * A missing or inconsistent configuration fails the instance at start, loudly, rather than on
 * the first message.
 */
public final class StepRuntime implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(StepRuntime.class.getName());
  private static StepRuntime shared;

  private final FunctionConfig config;
  private final PubSubBus bus;
  private final StepPipeline pipeline;
  private final Firestore firestore;
  private final Storage storage;
  private final ExecutorService runner;
  private final ResolvedGraph graph;
  private final Ports ports;
  private final Layout layout;

  private StepRuntime(FunctionConfig config, Map<String, String> env, PipelineListener listener) {
    this.config = config;
    String project = env.getOrDefault("GOOGLE_CLOUD_PROJECT", config.project());
    // A cold start is mostly class loading and client set-up (measured: Pub/Sub 0.45 s, Firestore
    // and Cloud Storage 0.6 s, then the first request's Firestore connection 0.6 s): the three
    // clients are made at once, on their own threads, while this one resolves the step, and the
    // Firestore one starts opening its connection (one read) before the first request needs it.
    ExecutorService init = Executors.newFixedThreadPool(3, r -> {
      Thread t = new Thread(r, "wavegraph-init");
      t.setDaemon(true);
      return t;
    });
    CompletableFuture<PubSubBus> busMade;
    CompletableFuture<Firestore> firestoreMade;
    CompletableFuture<Storage> storageMade;
    try {
      busMade = CompletableFuture.supplyAsync(() -> {
        String pubsubHost = env.get("PUBSUB_EMULATOR_HOST");
        return pubsubHost != null ? PubSubBus.forEmulator(pubsubHost, project) : PubSubBus.create(project);
      }, init);
      firestoreMade = CompletableFuture.supplyAsync(() -> {
        FirestoreOptions.Builder fo = FirestoreOptions.newBuilder().setProjectId(project).setDatabaseId(config.ledgerDatabase());
        String firestoreHost = env.get("FIRESTORE_EMULATOR_HOST");
        if (firestoreHost != null) fo.setEmulatorHost(firestoreHost);
        Firestore f = fo.build().getService();
        Thread connecting = new Thread(() -> connect(f, config.ledgerCollection()), "wavegraph-connect");
        connecting.setDaemon(true); // not awaited: an unreachable service must not hold the start
        connecting.start();
        return f;
      }, init);
      storageMade = CompletableFuture.supplyAsync(() -> {
        StorageOptions.Builder so = StorageOptions.newBuilder().setProjectId(project);
        String storageHost = env.get("STORAGE_EMULATOR_HOST");
        if (storageHost != null) so.setHost(storageHost).setCredentials(NoCredentials.getInstance());
        return so.build().getService();
      }, init);
    } finally {
      init.shutdown(); // the tasks run on; the threads end with them
    }
    try {
      this.graph = Neighbourhood.resolve(config, StepFactory.fromClassPath(StepRuntime.class.getClassLoader()));
      this.bus = joined(busMade);
      this.firestore = joined(firestoreMade);
      this.storage = joined(storageMade);
    } catch (RuntimeException e) {
      // A bad config fails the instance; close whatever clients were made.
      busMade.thenAccept(PubSubBus::close);
      firestoreMade.thenAccept(StepRuntime::closeQuietly);
      storageMade.thenAccept(StepRuntime::closeQuietly);
      throw e;
    }
    this.ports = new Ports(bus,
        PrefixedBlobStore.of(new GcsBlobStore(storage, config.inputBucket()), config.inputPrefix()),
        PrefixedBlobStore.of(new GcsBlobStore(storage, config.outputBucket()), config.outputPrefix()),
        new FirestoreLedger(firestore, config.ledgerCollection(), FirestoreLedger.RETENTION, Backoff.defaults(), false),
        Clock.systemUTC());
    this.runner = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "wavegraph-" + config.step());
      t.setDaemon(true);
      return t;
    });
    Path scratch;
    try {
      scratch = Files.createTempDirectory("wavegraph-" + config.step() + "-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String owner = "fn:" + config.step() + ":" + env.getOrDefault("K_REVISION", "local");
    this.layout = new Layout(config.topicPrefix());
    this.pipeline = new StepPipeline(graph, config.step(), ports, layout, listener, runner,
        scratch, owner);
  }

  /**
   * Opens the client's connection now, with one read of a document that is never an item's (a
   * Firestore read, once per instance), so that the first request does not wait for it. A
   * failure is only logged: the first request will meet it again and answer it properly.
   */
  private static void connect(Firestore firestore, String collection) {
    try {
      firestore.collection(collection).document("wavegraph-connect").get().get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      LOG.fine("opening the Firestore connection early: " + e); // e.g. closed meanwhile
    }
  }

  private static <T> T joined(CompletableFuture<T> made) {
    try {
      return made.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) throw r;
      if (e.getCause() instanceof Error err) throw err;
      throw e;
    }
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      LOG.warning("closing a client: " + e);
    }
  }

  /** The instance's runtime, made on first use from the process environment. */
  public static synchronized StepRuntime shared() {
    if (shared == null) shared = create(System.getenv(), StepRuntime::log);
    return shared;
  }

  /** A runtime from an explicit environment (tests host several steps in one process). */
  public static StepRuntime create(Map<String, String> env, PipelineListener listener) {
    return new StepRuntime(FunctionConfig.parse(configText(env)), env, listener);
  }

  static String configText(Map<String, String> env) {
    String text = env.get(io.wavegraph.core.config.FunctionConfigSchema.CONFIG_ENV);
    if (text != null && !text.isBlank()) return text;
    String file = env.get("WAVEGRAPH_CONFIG_FILE");
    if (file == null) throw new IllegalStateException("neither WAVEGRAPH_CONFIG nor WAVEGRAPH_CONFIG_FILE is set");
    try {
      return Files.readString(Path.of(file), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read WAVEGRAPH_CONFIG_FILE " + file, e);
    }
  }

  public FunctionConfig config() {
    return config;
  }

  public StepPipeline pipeline() {
    return pipeline;
  }

  /**
   * What the step's function does with each request: the step pipeline for a function step. For
   * a batch step ({@code kind: job}) the function is its admission ({@link BatchAdmission}):
   * requests that need a run go on to the topic its batch workflow gathers, the rest are settled
   * here, so finished work never starts a job.
   */
  public MessageHandler handler() {
    if (!"job".equals(config.kind())) return pipeline;
    return new BatchAdmission(pipeline, bus, layout.admittedTopic(config.step()));
  }

  public MessageBus bus() {
    return bus;
  }

  /** The step's neighbourhood of the graph, as the pipeline sees it. */
  public ResolvedGraph graph() {
    return graph;
  }

  /** The Pub/Sub, Cloud Storage (input and output, under their prefixes) and Firestore ports. */
  public Ports ports() {
    return ports;
  }

  public Layout layout() {
    return layout;
  }

  /** The Cloud Storage client, for objects outside the step's prefixes. */
  public Storage storage() {
    return storage;
  }

  /**
   * Publishes a request that cannot be parsed to the step's dead-letter topic, with the reason, as
   * the pipeline does for an invalid envelope. Attributes: {@code wavegraph-step}, {@code
   * wavegraph-error}.
   */
  public void deadLetter(byte[] body, String reason) {
    bus.publish(config.deadLetterTopic(), DeadLetters.of(body, Map.of(), config.step(), reason));
  }

  static void log(PipelineEvent e) {
    LOG.info(e.step() + " " + e.item() + " " + e.kind() + (e.detail() == null ? "" : " " + e.detail()));
  }

  @Override
  public void close() {
    pipeline.close();
    runner.shutdownNow();
    bus.close();
    try {
      firestore.close();
      storage.close();
    } catch (Exception e) {
      LOG.warning("closing clients: " + e);
    }
  }
}
