package io.wavegraph.local;

import io.wavegraph.core.envelope.Envelope;
import io.wavegraph.core.graph.ResolvedGraph;
import io.wavegraph.core.pipeline.GraphRuntime;
import io.wavegraph.core.pipeline.Layout;
import io.wavegraph.core.pipeline.PipelineListener;
import io.wavegraph.core.pipeline.Ports;
import io.wavegraph.core.pipeline.WorkdirLock;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * The embedded runtime: a graph on one machine, with an in-process bus, a directory per bucket
 * and a SQLite ledger, all under one work directory. One runtime at a time holds a work
 * directory (a file lock), so a claim that a runtime of this directory made ({@link
 * #isOwnedByARuntimeHere}) and left live is from a run that died, and is released at start. Any
 * other claim (another machine's, or one written by hand) is waited for like in the cloud: its
 * items come back until it ends.
 */
public final class EmbeddedRuntime implements AutoCloseable {
  public static final String LEDGER_FILE = "ledger.db";
  public static final String OUTPUTS_DIR = "outputs";
  public static final String INPUT_POINTER = "input-dir";
  public static final String DEAD_LETTERS = "dead-letters.jsonl";

  /**
   * How to run: {@code threads} concurrent items per step; redelivery after a failure between
   * {@code minBackoff} and {@code maxBackoff}; bus options (duplicate delivery, shuffling, and the
   * clock, which is the whole runtime's: publish times, leases).
   */
  public record Config(Path inputDir, Path workdir, int threads, Duration minBackoff, Duration maxBackoff,
      InProcessBus.Options busOptions) {
    public static Config of(Path inputDir, Path workdir, int threads) {
      return new Config(inputDir, workdir, threads, Duration.ofMillis(100), Duration.ofSeconds(5),
          InProcessBus.Options.defaults());
    }
  }

  /** How the claims of an embedded runtime's step pipelines begin. */
  static final String OWNER_PREFIX = "local:";

  /**
   * True for a claim that only a runtime holding this work directory makes: its step pipelines'
   * ({@code local:}), its in-process batch jobs' ({@code job:}) and its batches' holds on items.
   * Whoever holds the directory's lock knows such a claim's maker is gone.
   */
  static boolean isOwnedByARuntimeHere(io.wavegraph.core.port.LedgerRecord r) {
    String owner = r.owner() == null ? "" : r.owner();
    return owner.startsWith(OWNER_PREFIX) || owner.startsWith("job:")
        || io.wavegraph.core.batch.BatchManifest.isMembership(r.key());
  }

  private final WorkdirLock lock;
  private final SqliteLedger ledger;
  private final InProcessBus bus;
  private final GraphRuntime runtime;
  private final DirectoryBlobStore input;
  private final DirectoryBlobStore output;

  private EmbeddedRuntime(ResolvedGraph graph, Config config, PipelineListener listener) throws IOException {
    Path workdir = config.workdir();
    lock = WorkdirLock.acquire(workdir);
    Clock clock = config.busOptions().clock();
    ledger = SqliteLedger.open(workdir.resolve(LEDGER_FILE));
    ledger.releaseLeases(clock.instant(), EmbeddedRuntime::isOwnedByARuntimeHere);
    input = DirectoryBlobStore.readOnly(config.inputDir());
    output = new DirectoryBlobStore(workdir.resolve(OUTPUTS_DIR));
    bus = new InProcessBus(config.busOptions());
    Ports ports = new Ports(bus, input, output, ledger, clock);
    String owner = OWNER_PREFIX + ManagementFactory.getRuntimeMXBean().getName();
    GraphRuntime.Settings settings = new GraphRuntime.Settings(config.threads(), config.minBackoff(), config.maxBackoff(),
        workdir.resolve("scratch"), owner);
    runtime = new GraphRuntime(graph, ports, Layout.local(), settings, listener);
    runtime.start();
    runtime.logDeadLetters(workdir.resolve(DEAD_LETTERS), "-log");
    runtime.resumeBatches();
  }

  /**
   * Opens the runtime on the work directory, reading items from the input directory.
   *
   * @throws IOException also when another process holds the work directory
   */
  public static EmbeddedRuntime open(ResolvedGraph graph, Config config, PipelineListener listener)
      throws IOException {
    return new EmbeddedRuntime(graph, config, listener);
  }

  public DirectoryBlobStore input() {
    return input;
  }

  public DirectoryBlobStore output() {
    return output;
  }

  public SqliteLedger ledger() {
    return ledger;
  }

  public InProcessBus bus() {
    return bus;
  }

  public Layout layout() {
    return runtime.layout();
  }

  /** Sends an envelope to a step. */
  public void publish(String step, Envelope envelope) {
    runtime.publish(step, envelope);
  }

  /**
   * Waits until no message is queued, in flight or waiting for redelivery, and no batch is open:
   * when only open batches are left, they are sealed and run rather than left to fill.
   */
  public boolean awaitIdle(Duration timeout) {
    return runtime.awaitIdle(timeout, bus::awaitIdle, bus::outstanding);
  }

  public long outstanding() {
    return bus.outstanding();
  }


  @Override
  public void close() {
    runtime.close();
    bus.close();
    ledger.close();
    lock.close();
  }
}
