package io.wavegraph.cli;

import io.wavegraph.core.envelope.Envelope;
import io.wavegraph.core.graph.ResolvedGraph;
import io.wavegraph.core.pipeline.PipelineListener;
import io.wavegraph.core.port.BlobStore;
import io.wavegraph.gcp.EmulatorRuntime;
import io.wavegraph.local.DirectoryBlobStore;
import io.wavegraph.local.EmbeddedRuntime;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Where {@code run} and {@code publish} execute a graph: the embedded runtime (in-process bus,
 * SQLite ledger), or gcloud's Pub/Sub and Firestore emulators with the same directories for blobs.
 */
enum Backend {
  embedded,
  emulators;

  /** Where the emulator variables are read; tests replace it. */
  static volatile Map<String, String> environment = System.getenv();

  /** How long an emulator run may take to go idle before it is reported as stuck (Pub/Sub cannot say). */
  static final Duration EMULATOR_IDLE_TIMEOUT = Duration.ofMinutes(30);

  /** The Pub/Sub client logs stream restarts at INFO, which the emulator provokes; kept here so it is not collected. */
  private static final java.util.logging.Logger PUBSUB_LOG = java.util.logging.Logger.getLogger("com.google.cloud.pubsub.v1");

  /** An open runtime of either kind. */
  interface Session extends AutoCloseable {
    BlobStore input();

    void publish(String step, Envelope envelope);

    boolean awaitIdle(Duration timeout);

    long outstanding();

    /** The longest a run waits for the runtime to go idle. */
    Duration idleTimeout();

    /** The ports, where a run may read the ledger and the stores directly (embedded); else null. */
    default io.wavegraph.core.pipeline.Ports ports() {
      return null;
    }

    @Override
    void close();
  }

  Session open(ResolvedGraph graph, Path inputDir, Path workdir, int threads, PipelineListener listener,
      PrintWriter err) throws IOException {
    if (this == embedded) {
      EmbeddedRuntime rt = EmbeddedRuntime.open(graph, EmbeddedRuntime.Config.of(inputDir, workdir, threads), listener);
      return new Session() {
        public BlobStore input() { return rt.input(); }
        public void publish(String step, Envelope e) { rt.publish(step, e); }
        public boolean awaitIdle(Duration t) { return rt.awaitIdle(t); }
        public long outstanding() { return rt.outstanding(); }
        public Duration idleTimeout() { return Duration.ofDays(3650); }
        public io.wavegraph.core.pipeline.Ports ports() {
          return new io.wavegraph.core.pipeline.Ports(rt.bus(), rt.input(), rt.output(), rt.ledger(), java.time.Clock.systemUTC());
        }
        public void close() { rt.close(); }
      };
    }
    Map<String, String> env = environment;
    PUBSUB_LOG.setLevel(java.util.logging.Level.WARNING);
    EmulatorRuntime.whyUnavailable(env).ifPresent(why -> {
      throw new Main.UsageException("--backend emulators: " + why
          + ". Start the emulators and set PUBSUB_EMULATOR_HOST and FIRESTORE_EMULATOR_HOST, or install them (gcloud components install pubsub-emulator cloud-firestore-emulator)");
    });
    DirectoryBlobStore input = DirectoryBlobStore.readOnly(inputDir);
    DirectoryBlobStore output = new DirectoryBlobStore(workdir.resolve(EmbeddedRuntime.OUTPUTS_DIR));
    EmulatorRuntime rt;
    try {
      rt = EmulatorRuntime.open(graph, EmulatorRuntime.Config.of(env, input, output, workdir, threads), listener);
    } catch (IllegalStateException e) {
      throw new Main.UsageException("--backend emulators: " + e.getMessage());
    }
    err.println("emulators: Pub/Sub at " + rt.pubsubHost() + ", Firestore at " + rt.firestoreHost() + ", project "
        + rt.project() + (rt.startedEmulators().isEmpty() ? "" : " (started here; stopped at the end)"));
    err.flush();
    return new Session() {
      public BlobStore input() { return input; }
      public void publish(String step, Envelope e) { rt.publish(step, e); }
      public boolean awaitIdle(Duration t) { return rt.awaitIdle(t); }
      public long outstanding() { return rt.outstanding(); }
      public Duration idleTimeout() { return EMULATOR_IDLE_TIMEOUT; }
      public void close() { rt.close(); }
    };
  }
}
