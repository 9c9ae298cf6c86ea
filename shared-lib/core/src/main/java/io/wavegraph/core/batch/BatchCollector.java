package io.wavegraph.core.batch;

import io.wavegraph.core.graph.StepSpec;
import io.wavegraph.core.pipeline.PipelineEvent;
import io.wavegraph.core.pipeline.PipelineEvent.Kind;
import io.wavegraph.core.pipeline.PipelineListener;
import io.wavegraph.core.pipeline.Ports;
import io.wavegraph.core.pipeline.StepPipeline;
import io.wavegraph.core.pipeline.StepPipeline.Admission;
import io.wavegraph.core.port.Ack;
import io.wavegraph.core.port.Delivery;
import io.wavegraph.core.port.MessageHandler;
import io.wavegraph.core.port.PreconditionFailedException;
import io.wavegraph.core.port.Precondition;
import io.wavegraph.core.port.StepItem;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Gathers the requests that reach a batch step into batches, by size and by maximum wait, and
 * hands each sealed batch, written as a {@link BatchManifest}, to a {@link Launcher}.
 *
 * <p>A request is first admitted by the step pipeline's stages 1 to 5 (so a current result is
 * skipped and passed on without a batch). The item is then recorded in the ledger as held by the
 * open batch (a claim owned by the batch id, see {@link BatchManifest#membership}): a duplicate
 * delivery, or a request for an item that a live batch already holds, adds nothing. The manifest
 * is written (create-only) before the batch is launched; a launch that fails is tried again at the
 * next seal, and never writes a second manifest.
 */
public final class BatchCollector implements MessageHandler {
  /** Starts the job for a sealed batch whose manifest is already stored. */
  @FunctionalInterface
  public interface Launcher {
    void launch(BatchManifest manifest) throws IOException;
  }

  private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final String graph;
  private final StepSpec spec;
  private final StepPipeline pipeline;
  private final Ports ports;
  private final Launcher launcher;
  private final PipelineListener listener;
  private final int size;
  private final Duration maxWait;

  private String openId;
  private Instant openedAt;
  private final Map<String, BatchManifest.Entry> open = new LinkedHashMap<>();
  /** Sealed batches whose launch failed, to try again. */
  private final List<BatchManifest> unlaunched = new ArrayList<>();

  public BatchCollector(String graph, StepSpec spec, StepPipeline pipeline, Ports ports, Launcher launcher,
      PipelineListener listener) {
    this.graph = graph;
    this.spec = spec;
    this.pipeline = pipeline;
    this.ports = ports;
    this.launcher = launcher;
    this.listener = listener;
    StepSpec.Batch rule = spec.batchRule();
    this.size = rule.size();
    this.maxWait = rule.maxWait();
  }

  @Override
  public Ack handle(Delivery delivery) {
    Admission admission = pipeline.admit(delivery);
    if (admission instanceof Admission.Settled s) return s.ack();
    Admission.Work work = (Admission.Work) admission;
    String item = work.envelope().item();
    try {
      synchronized (this) {
        Instant now = ports.clock().instant();
        if (openId == null) {
          openId = newBatchId(now);
          openedAt = now;
        }
        BatchManifest.Entry already = open.get(item);
        if (already != null) {
          // A second request for an item of the open batch: the batch runs it once, for the latest
          // request, unless that would drop a force.
          if (!already.envelope().force() || work.envelope().force()) {
            open.put(item, new BatchManifest.Entry(item, work.inputs(), work.envelope()));
          }
          return Ack.ACK;
        }
        StepItem key = BatchManifest.membership(spec.name(), item);
        Optional<String> other = BatchManifest.hold(ports.ledger(), key, ports.ledger().get(key).orElse(null), openId,
            now, BatchJobRunner.gatheringLease(spec));
        if (other.isPresent() && BatchManifest.answeredByAnyBatch(work.envelope())) {
          emit(item, "already held by batch " + other.get());
          return Ack.ACK;
        }
        // A forced or routed request for an item another batch holds joins this batch anyway,
        // without the membership: the job runs it after the other, or finds it answered.
        open.put(item, new BatchManifest.Entry(item, work.inputs(), work.envelope()));
        emit(item, other.map(o -> openId + " (also held by batch " + o + ")").orElse(openId));
        if (open.size() >= size) seal();
      }
      return Ack.ACK;
    } catch (IOException | RuntimeException e) {
      // The item is in the open batch or not; either way a redelivery settles it.
      listener.on(new PipelineEvent(spec.name(), item, Kind.RETRYING, "batching: " + e.getMessage(), ports.clock().instant()));
      return Ack.NACK;
    }
  }

  /** Seals the open batch if it has waited {@code maxWait}; launches earlier failed launches. */
  public synchronized boolean sealIfDue() throws IOException {
    boolean due = openId != null && !ports.clock().instant().isBefore(openedAt.plus(maxWait));
    if (due) seal();
    else relaunch();
    return due;
  }

  /**
   * Seals the open batch now, whatever its size (the embedded runtime does this when nothing else
   * is left to do, rather than wait for a batch to fill).
   *
   * @return true when a batch was sealed or a failed launch was made
   */
  public synchronized boolean flush() throws IOException {
    if (openId == null) return relaunch();
    seal();
    return true;
  }

  public synchronized int openItems() {
    return open.size();
  }

  private void seal() throws IOException {
    if (openId == null) return;
    if (!open.isEmpty()) {
      BatchManifest m = new BatchManifest(graph, spec.name(), openId, new ArrayList<>(open.values()));
      try {
        ports.output().put(m.key(), m.toJson(), Precondition.absent());
      } catch (PreconditionFailedException e) {
        throw new IllegalStateException("batch manifest " + ports.output().uri(m.key()) + " already exists", e);
      }
      unlaunched.add(m);
    }
    openId = null;
    openedAt = null;
    open.clear();
    relaunch();
  }

  private boolean relaunch() throws IOException {
    boolean any = !unlaunched.isEmpty();
    while (!unlaunched.isEmpty()) {
      launcher.launch(unlaunched.get(0));
      unlaunched.remove(0);
    }
    return any;
  }

  private void emit(String item, String detail) {
    listener.on(new PipelineEvent(spec.name(), item, Kind.BATCHED, detail, ports.clock().instant()));
  }

  static String newBatchId(Instant now) {
    byte[] b = new byte[4];
    RANDOM.nextBytes(b);
    return ID_TIME.format(now) + "-" + HexFormat.of().formatHex(b);
  }
}
