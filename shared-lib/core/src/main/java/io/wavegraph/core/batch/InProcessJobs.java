package io.wavegraph.core.batch;

import io.wavegraph.core.graph.ResolvedGraph;
import io.wavegraph.core.pipeline.Layout;
import io.wavegraph.core.pipeline.PipelineEvent;
import io.wavegraph.core.pipeline.PipelineEvent.Kind;
import io.wavegraph.core.pipeline.PipelineListener;
import io.wavegraph.core.pipeline.Ports;
import io.wavegraph.core.port.Ack;
import io.wavegraph.core.port.BlobInfo;
import io.wavegraph.core.port.Delivery;
import io.wavegraph.core.port.LedgerRecord;
import io.wavegraph.core.port.LedgerState;
import io.wavegraph.core.port.Message;
import io.wavegraph.core.port.MessageHandler;
import io.wavegraph.core.port.Precondition;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A batch step's job run in this process, as the embedded runtime does it: a sealed batch is a
 * message on the step's jobs topic ({@link #topic}) naming its manifest, and this handler runs the
 * whole manifest as one task. While a batch runs its message is in flight, so the bus is not idle.
 * A batch that finished every entry gets a marker ({@code <batch>.done}) next to its manifest;
 * one without it is run again by {@link #resumable} when the runtime starts after a crash.
 */
public final class InProcessJobs implements MessageHandler {
  private static final String DONE = ".done";

  private final BatchJobRunner runner;
  private final String step;
  private final Ports ports;
  private final PipelineListener listener;

  public InProcessJobs(ResolvedGraph graph, String step, Ports ports, Layout layout, BatchJobRunner.Settings settings,
      PipelineListener listener) {
    this.runner = new BatchJobRunner(graph, step, ports, layout, settings, listener);
    this.step = step;
    this.ports = ports;
    this.listener = listener;
  }

  /** The topic that carries a step's sealed batches to its in-process job. */
  public static String topic(Layout layout, String step) {
    return layout.topic(step) + "-jobs";
  }

  /** The message that starts a batch. */
  public static Message launchMessage(BatchManifest m) {
    return new Message(m.key().getBytes(StandardCharsets.UTF_8), Map.of("batch", m.batch(), "step", m.step()));
  }

  @Override
  public Ack handle(Delivery delivery) {
    String key = new String(delivery.message().data(), StandardCharsets.UTF_8);
    BatchManifest manifest;
    try (InputStream in = ports.output().open(key)) {
      manifest = BatchManifest.parse(in.readAllBytes(), ports.output().uri(key), ports.clock().instant());
    } catch (BatchManifest.InvalidManifestException e) {
      emit("?", Kind.INVALID, e.getMessage());
      return Ack.ACK;
    } catch (IOException e) {
      emit("?", Kind.RETRYING, "reading batch manifest " + ports.output().uri(key) + ": " + e.getMessage());
      return Ack.NACK;
    }
    try {
      BatchJobRunner.Summary s = runner.run(manifest, 0, 1);
      if (!s.complete()) return Ack.NACK;
      ports.output().put(key.substring(0, key.length() - ".json".length()) + DONE, new byte[0], Precondition.none());
      return Ack.ACK;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Ack.NACK;
    } catch (IOException e) {
      emit("?", Kind.RETRYING, "batch " + manifest.batch() + ": " + e.getMessage());
      return Ack.NACK;
    }
  }

  /**
   * The manifests of {@code step} that a crash left unfinished: no done marker, and an entry
   * still held by the batch and not settled.
   */
  public static List<BatchManifest> resumable(String graph, String step, Ports ports) throws IOException {
    List<BlobInfo> blobs = ports.output().list(BatchManifest.PREFIX + step + "/");
    Set<String> keys = blobs.stream().map(BlobInfo::key).collect(Collectors.toSet());
    List<BatchManifest> out = new ArrayList<>();
    for (BlobInfo b : blobs) {
      String key = b.key();
      if (!key.endsWith(".json") || keys.contains(key.substring(0, key.length() - ".json".length()) + DONE)) continue;
      BatchManifest m;
      try (InputStream in = ports.output().open(key)) {
        m = BatchManifest.parse(in.readAllBytes(), ports.output().uri(key), ports.clock().instant());
      } catch (BatchManifest.InvalidManifestException e) {
        continue;
      }
      if (!m.graph().equals(graph)) continue;
      for (BatchManifest.Entry e : m.entries()) {
        LedgerRecord r = ports.ledger().get(BatchManifest.membership(step, e.item())).orElse(null);
        if (r != null && m.batch().equals(r.owner()) && r.state() == LedgerState.CLAIMED) {
          out.add(m);
          break;
        }
      }
    }
    return out;
  }

  private void emit(String item, Kind kind, String detail) {
    listener.on(new PipelineEvent(step, item, kind, detail, ports.clock().instant()));
  }
}
