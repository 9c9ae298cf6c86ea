package io.wavegraph.cli;

import io.wavegraph.core.envelope.Envelope;
import io.wavegraph.core.envelope.EnvelopeCodec;
import io.wavegraph.core.graph.ResolvedGraph;
import io.wavegraph.core.graph.StepSpec;
import io.wavegraph.core.pipeline.GraphRuntime;
import io.wavegraph.core.pipeline.Layout;
import io.wavegraph.core.pipeline.PipelineListener;
import io.wavegraph.core.pipeline.Ports;
import io.wavegraph.core.port.Ack;
import io.wavegraph.core.port.MessageBus;
import io.wavegraph.core.port.SubscriptionSettings;
import io.wavegraph.local.DirectoryBlobStore;
import io.wavegraph.local.InProcessBus;
import io.wavegraph.local.SqliteLedger;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The embedded runtime: a graph on one machine, with an in-process bus, a directory per bucket
 * and a SQLite ledger, all under one work directory. One runtime at a time holds a work
 * directory (a file lock), so any claim left in its ledger is from a run that died and is
 * released at start.
 */
final class EmbeddedRuntime implements AutoCloseable {
  static final String LEDGER_FILE = "ledger.db";
  static final String OUTPUTS_DIR = "outputs";
  static final String INPUT_POINTER = "input-dir";
  static final String DEAD_LETTERS = "dead-letters.jsonl";

  private final FileChannel lockChannel;
  private final FileLock lock;
  private final SqliteLedger ledger;
  private final InProcessBus bus;
  private final GraphRuntime runtime;
  private final DirectoryBlobStore input;
  private final DirectoryBlobStore output;
  private final List<MessageBus.Subscription> deadLetterSubs = new ArrayList<>();

  private EmbeddedRuntime(ResolvedGraph graph, Path inputDir, Path workdir, int threads, PipelineListener listener)
      throws IOException {
    Files.createDirectories(workdir);
    lockChannel = FileChannel.open(workdir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    lock = lockChannel.tryLock();
    if (lock == null) {
      lockChannel.close();
      throw new IOException("another wavegraph process is using the work directory " + workdir);
    }
    Clock clock = Clock.systemUTC();
    ledger = SqliteLedger.open(workdir.resolve(LEDGER_FILE));
    ledger.releaseLeases(clock.instant());
    input = DirectoryBlobStore.readOnly(inputDir);
    output = new DirectoryBlobStore(workdir.resolve(OUTPUTS_DIR));
    bus = new InProcessBus();
    Ports ports = new Ports(bus, input, output, ledger, clock);
    String owner = "local:" + ManagementFactory.getRuntimeMXBean().getName();
    GraphRuntime.Settings settings = new GraphRuntime.Settings(threads, Duration.ofMillis(100), Duration.ofSeconds(5),
        workdir.resolve("scratch"), owner);
    runtime = new GraphRuntime(graph, ports, Layout.local(), settings, listener);
    runtime.start();
    Path deadLetters = workdir.resolve(DEAD_LETTERS);
    for (StepSpec s : graph.graph().steps()) {
      String topic = runtime.layout().deadLetterTopic(s.name());
      deadLetterSubs.add(bus.subscribe(topic, topic + "-log", SubscriptionSettings.defaults(), d -> {
        appendDeadLetter(deadLetters, d.message().attributes(), d.message().data());
        return Ack.ACK;
      }));
    }
  }

  /** Opens the runtime on {@code workdir}, reading items from {@code inputDir}. */
  static EmbeddedRuntime open(ResolvedGraph graph, Path inputDir, Path workdir, int threads, PipelineListener listener)
      throws IOException {
    return new EmbeddedRuntime(graph, inputDir, workdir, threads, listener);
  }

  DirectoryBlobStore input() {
    return input;
  }

  DirectoryBlobStore output() {
    return output;
  }

  SqliteLedger ledger() {
    return ledger;
  }

  void publish(String step, Envelope envelope) {
    runtime.publish(step, envelope);
  }

  /** Waits until no message is queued, in flight or waiting for redelivery. */
  boolean awaitIdle(Duration timeout) throws InterruptedException {
    return bus.awaitIdle(timeout);
  }

  long outstanding() {
    return bus.outstanding();
  }

  private static synchronized void appendDeadLetter(Path file, java.util.Map<String, String> attrs, byte[] data) {
    var json = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
    json.put("step", attrs.get("wavegraph-step"));
    json.put("item", attrs.get(EnvelopeCodec.ATTR_ITEM));
    json.put("error", attrs.get("wavegraph-error"));
    json.put("data", new String(data, StandardCharsets.UTF_8));
    try {
      Files.writeString(file, json + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    runtime.close();
    deadLetterSubs.forEach(MessageBus.Subscription::close);
    bus.close();
    ledger.close();
    try {
      lock.release();
      lockChannel.close();
    } catch (IOException ignored) {
      // The lock goes with the process anyway.
    }
  }
}
