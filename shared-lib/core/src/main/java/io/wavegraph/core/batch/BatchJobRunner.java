package io.wavegraph.core.batch;

import io.wavegraph.core.envelope.EnvelopeCodec;
import io.wavegraph.core.graph.ResolvedGraph;
import io.wavegraph.core.graph.StepSpec;
import io.wavegraph.core.pipeline.Layout;
import io.wavegraph.core.pipeline.PipelineEvent;
import io.wavegraph.core.pipeline.PipelineEvent.Kind;
import io.wavegraph.core.pipeline.PipelineListener;
import io.wavegraph.core.pipeline.Ports;
import io.wavegraph.core.pipeline.StepPipeline;
import io.wavegraph.core.port.Ack;
import io.wavegraph.core.port.Completion;
import io.wavegraph.core.port.Delivery;
import io.wavegraph.core.port.LedgerRecord;
import io.wavegraph.core.port.LedgerState;
import io.wavegraph.core.port.StepItem;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs one task of a batch step's job: the task's shard of a {@link BatchManifest}, each entry
 * through the step pipeline (done-skip, claims, outputs, ledger, passing results on to the
 * children), {@code parallelism} entries at a time so the machine stays busy.
 *
 * <p>A task that dies is run again (by the platform, or by the embedded runtime at its next
 * start) and resumes: entries it finished are skipped by their ledger records (the batch's
 * membership record is complete), and the claims it left behind are named {@code
 * job:<batch>:<item>}, so the new attempt takes them over at once instead of waiting for their
 * leases. An entry that another live batch holds is left to that batch.
 */
public final class BatchJobRunner {
  /** What a task did. {@code unfinished} entries could not be settled (the ports kept failing). */
  public record Summary(String batch, int task, int tasks, int entries, int processed, int skipped, int failed,
      int heldElsewhere, int finishedBefore, int unfinished) {
    public boolean complete() {
      return unfinished == 0;
    }
  }

  /**
   * How to run: {@code parallelism} entries at once; a delivery the pipeline asks to redeliver is
   * retried in-process after {@code minBackoff}, doubling up to {@code maxBackoff}.
   */
  public record Settings(int parallelism, Duration minBackoff, Duration maxBackoff, Path scratch) {}

  private final ResolvedGraph graph;
  private final String step;
  private final StepSpec spec;
  private final Ports ports;
  private final Layout layout;
  private final Settings settings;
  private final PipelineListener listener;

  public BatchJobRunner(ResolvedGraph graph, String step, Ports ports, Layout layout, Settings settings,
      PipelineListener listener) {
    this.graph = graph;
    this.step = step;
    this.spec = graph.graph().step(step);
    this.ports = ports;
    this.layout = layout;
    this.settings = settings;
    this.listener = listener;
  }

  /**
   * How long a running job holds an item: one attempt of the step and a margin. Each attempt
   * renews it, so a job that dies for good lets its items go to a later batch soon after (and
   * while it lives, the item's own claim keeps a second run from overlapping).
   */
  public static Duration runningLease(StepSpec spec) {
    return spec.timeout().plus(Duration.ofMinutes(5));
  }

  /** How long a collector's open batch holds its items: its wait, then as long as a running job. */
  public static Duration gatheringLease(StepSpec spec) {
    return (spec.batch() == null ? StepSpec.Batch.DEFAULT : spec.batch()).maxWait().plus(runningLease(spec));
  }

  /**
   * Runs task {@code index} of {@code count} over its shard of {@code manifest}.
   *
   * @throws IllegalArgumentException when the manifest is for another step or graph
   */
  public Summary run(BatchManifest manifest, int index, int count) throws InterruptedException {
    if (!manifest.step().equals(step) || !manifest.graph().equals(graph.graph().name())) {
      throw new IllegalArgumentException("manifest " + manifest.key() + " is for step '" + manifest.step()
          + "' of graph '" + manifest.graph() + "', not '" + step + "' of '" + graph.graph().name() + "'");
    }
    List<BatchManifest.Entry> shard = manifest.shard(index, count);
    Map<String, Kind> last = new ConcurrentHashMap<>();
    PipelineListener tally = e -> {
      if (e.kind() == Kind.PROCESSED || e.kind() == Kind.SKIPPED || e.kind() == Kind.FAILED) last.put(e.item(), e.kind());
      listener.on(e);
    };
    AtomicInteger threads = new AtomicInteger();
    ExecutorService stepRunner = Executors.newCachedThreadPool(r -> daemon(r, "wavegraph-job-step-" + threads.incrementAndGet()));
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, settings.parallelism()),
        r -> daemon(r, "wavegraph-job-" + threads.incrementAndGet()));
    int held = 0;
    int before = 0;
    int unfinished = 0;
    try (StepPipeline pipeline = new StepPipeline(graph, step, ports, layout, tally, stepRunner,
        settings.scratch(), "job:" + manifest.batch(), true)) {
      List<Future<Outcome>> futures = new ArrayList<>();
      for (BatchManifest.Entry e : shard) futures.add(pool.submit(() -> runEntry(pipeline, manifest.batch(), e)));
      for (Future<Outcome> f : futures) {
        Outcome o;
        try {
          o = f.get();
        } catch (ExecutionException e) {
          o = Outcome.UNFINISHED;
          emit("?", Kind.RETRYING, "batch " + manifest.batch() + ": " + e.getCause());
        }
        switch (o) {
          case HELD_ELSEWHERE -> held++;
          case FINISHED_BEFORE -> before++;
          case UNFINISHED -> unfinished++;
          case SETTLED -> { }
        }
      }
    } finally {
      pool.shutdownNow();
      stepRunner.shutdownNow();
    }
    int processed = 0;
    int skipped = 0;
    int failed = 0;
    for (Kind k : last.values()) {
      if (k == Kind.PROCESSED) processed++;
      else if (k == Kind.SKIPPED) skipped++;
      else failed++;
    }
    return new Summary(manifest.batch(), index, count, shard.size(), processed, skipped, failed, held, before, unfinished);
  }

  private enum Outcome { SETTLED, HELD_ELSEWHERE, FINISHED_BEFORE, UNFINISHED }

  private Outcome runEntry(StepPipeline pipeline, String batch, BatchManifest.Entry entry) throws InterruptedException {
    StepItem membership = BatchManifest.membership(step, entry.item());
    Instant now = ports.clock().instant();
    LedgerRecord record = ports.ledger().get(membership).orElse(null);
    if (record != null && batch.equals(record.owner()) && record.state() == LedgerState.DONE) {
      // An earlier attempt of this task settled it (and passed its result on): nothing to do.
      return Outcome.FINISHED_BEFORE;
    }
    boolean member = BatchManifest.hold(ports.ledger(), membership, record, batch, now, runningLease(spec)).isEmpty();
    if (!member) {
      if (BatchManifest.answeredByAnyBatch(entry.envelope())) {
        emit(entry.item(), Kind.BATCHED, "held by another batch, left to it");
        return Outcome.HELD_ELSEWHERE;
      }
      // Forced or routed: the other batch may not answer it; the item's claim keeps runs apart.
    }
    Duration backoff = settings.minBackoff();
    // As many deliveries as the bus would make before dead-lettering: the pipeline fails the item
    // for good after the step's retries; the extra one covers ports that fail to record it.
    int maxAttempts = spec.retries() + 2;
    // A claim someone else holds is waited out rather than counted: a live holder renews until it
    // is done, a dead one's lease runs out; never longer than one run of the step and two leases.
    long waitUntil = System.nanoTime() + spec.timeout().plus(StepPipeline.LeaseTerms.DEFAULT.lease().multipliedBy(2)).toNanos();
    int delivery = 0;
    for (int attempt = 1; attempt <= maxAttempts; attempt++) {
      delivery++;
      Delivery d = new Delivery(batch + "/" + entry.item() + "/" + delivery,
          EnvelopeCodec.encode(entry.envelope()), delivery, now);
      if (pipeline.handle(d) == Ack.ACK) {
        if (member) {
          ports.ledger().complete(membership, batch, new Completion("batch", Map.of(), Map.of(), ports.clock().instant()));
        }
        return Outcome.SETTLED;
      }
      if (heldByAnother(entry.item(), batch) && System.nanoTime() < waitUntil) attempt--;
      if (attempt < maxAttempts) {
        if (member) renew(membership, batch);
        Thread.sleep(backoff.toMillis());
        backoff = backoff.multipliedBy(2);
        if (backoff.compareTo(settings.maxBackoff()) > 0) backoff = settings.maxBackoff();
      }
    }
    return Outcome.UNFINISHED;
  }

  /** The step's claim on {@code item} is live and not this batch's. */
  private boolean heldByAnother(String item, String batch) {
    LedgerRecord r;
    try {
      r = ports.ledger().get(new StepItem(step, item)).orElse(null);
    } catch (RuntimeException e) {
      return false; // cannot tell: the attempt counts
    }
    return r != null && r.isLiveClaim(ports.clock().instant()) && !r.owner().startsWith("job:" + batch + ":");
  }

  /** Extends this batch's hold on an item for another attempt; a hold lost meanwhile stays lost. */
  private void renew(StepItem membership, String batch) {
    LedgerRecord r = ports.ledger().get(membership).orElse(null);
    if (r != null && batch.equals(r.owner()) && r.state() == LedgerState.CLAIMED) {
      ports.ledger().claim(membership, r, batch, ports.clock().instant(), runningLease(spec));
    }
  }

  private void emit(String item, Kind kind, String detail) {
    listener.on(new PipelineEvent(step, item, kind, detail, ports.clock().instant()));
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }
}
