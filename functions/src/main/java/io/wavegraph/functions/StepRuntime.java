package io.wavegraph.functions;

import com.google.cloud.NoCredentials;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.FirestoreOptions;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import io.wavegraph.core.graph.ResolvedGraph;
import io.wavegraph.core.pipeline.Layout;
import io.wavegraph.core.pipeline.PipelineEvent;
import io.wavegraph.core.pipeline.PipelineListener;
import io.wavegraph.core.pipeline.Ports;
import io.wavegraph.core.pipeline.StepPipeline;
import io.wavegraph.core.port.Message;
import io.wavegraph.core.port.MessageBus;
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
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
    String pubsubHost = env.get("PUBSUB_EMULATOR_HOST");
    this.bus = pubsubHost != null ? PubSubBus.forEmulator(pubsubHost, project) : PubSubBus.create(project);
    FirestoreOptions.Builder fo = FirestoreOptions.newBuilder().setProjectId(project).setDatabaseId(config.ledgerDatabase());
    String firestoreHost = env.get("FIRESTORE_EMULATOR_HOST");
    if (firestoreHost != null) fo.setEmulatorHost(firestoreHost);
    this.firestore = fo.build().getService();
    StorageOptions.Builder so = StorageOptions.newBuilder().setProjectId(project);
    String storageHost = env.get("STORAGE_EMULATOR_HOST");
    if (storageHost != null) so.setHost(storageHost).setCredentials(NoCredentials.getInstance());
    this.storage = so.build().getService();
    this.graph = Neighbourhood.resolve(config, StepFactory.fromClassPath(StepRuntime.class.getClassLoader()));
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
    String text = env.get("WAVEGRAPH_CONFIG");
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
    Map<String, String> attrs = new LinkedHashMap<>();
    attrs.put("wavegraph-step", config.step());
    attrs.put("wavegraph-error", reason.length() > 1000 ? reason.substring(0, 1000) : reason);
    bus.publish(config.deadLetterTopic(), new Message(body, attrs));
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
