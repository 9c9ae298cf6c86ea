package io.wavegraph.core.pipeline;

import io.wavegraph.core.batch.BatchCollector;
import io.wavegraph.core.batch.BatchJobRunner;
import io.wavegraph.core.batch.BatchManifest;
import io.wavegraph.core.batch.InProcessJobs;
import io.wavegraph.core.envelope.Envelope;
import io.wavegraph.core.envelope.EnvelopeCodec;
import io.wavegraph.core.graph.ResolvedGraph;
import io.wavegraph.core.graph.StepKind;
import io.wavegraph.core.graph.StepSpec;
import io.wavegraph.core.port.MessageBus;
import io.wavegraph.core.port.MessageHandler;
import io.wavegraph.core.port.SubscriptionSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * A whole graph wired to one set of ports: a topic and a dead-letter topic per step, and a
 * subscription per step whose handler is that step's {@link StepPipeline}. The same wiring serves
 * the embedded runtime and any runtime whose bus delivers to this process.
 *
 * <p>A batch step ({@code kind: job}) runs in-process: its subscription gathers requests with a
 * {@link BatchCollector}, and each sealed batch runs through {@link InProcessJobs}, with the same
 * manifests and ledger records as a Cloud Run Job.
 */
public final class GraphRuntime implements AutoCloseable {
  private final ResolvedGraph graph;
  private final Ports ports;
  private final Layout layout;
  private final Settings settings;
  private final PipelineListener listener;
  private final ExecutorService runner;
  private final List<StepPipeline> pipelines = new ArrayList<>();
  private final List<MessageBus.Subscription> subscriptions = new ArrayList<>();
  private final List<BatchCollector> collectors = new ArrayList<>();
  private final ScheduledExecutorService batchTimer;
  /** Deliveries before the bus dead-letters by itself: Pub/Sub's highest setting. */
  public static final int BACKSTOP_DELIVERY_ATTEMPTS = 100;

  /**
   * @param workers concurrent messages per step
   * @param minBackoff the first redelivery delay after a failure (doubling up to {@code maxBackoff})
   * @param scratch where steps get scratch directories
   * @param owner names this process in ledger claims
   */
  public record Settings(int workers, Duration minBackoff, Duration maxBackoff, Path scratch, String owner) {}

  public GraphRuntime(ResolvedGraph graph, Ports ports, Layout layout, Settings settings, PipelineListener listener) {
    this.graph = graph;
    this.ports = ports;
    this.layout = layout;
    this.settings = settings;
    this.listener = listener;
    AtomicInteger n = new AtomicInteger();
    this.runner = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "wavegraph-step-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    this.batchTimer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "wavegraph-batch-timer");
      t.setDaemon(true);
      return t;
    });
  }

  private StepPipeline.LeaseTerms leaseTerms = StepPipeline.LeaseTerms.DEFAULT;

  /** The lease and renewal of every step's claims ({@link StepPipeline.LeaseTerms#DEFAULT} unless set); before {@link #start}. */
  public GraphRuntime withLeaseTerms(StepPipeline.LeaseTerms terms) {
    this.leaseTerms = terms;
    return this;
  }

  /** Creates the topics of every step (and their dead-letter topics) and starts delivering. */
  public void start() {
    MessageBus bus = ports.bus();
    for (StepSpec s : graph.graph().steps()) {
      bus.createTopic(layout.topic(s.name()));
      bus.createTopic(layout.deadLetterTopic(s.name()));
    }
    for (StepSpec s : graph.graph().steps()) {
      StepPipeline p = new StepPipeline(graph, s.name(), ports, layout, listener, runner,
          settings.scratch().resolve(s.name()), settings.owner()).withLeaseTerms(leaseTerms);
      pipelines.add(p);
      // The pipeline dead-letters after the step's retries, counted in the ledger; the bus's
      // own limit (Pub/Sub's highest) is a backstop for a handler that cannot even record the
      // failure, high so that deliveries that wait on a busy claim never reach it (ADR 0008).
      SubscriptionSettings sub = SubscriptionSettings.defaults()
          .withWorkers(settings.workers())
          .withDeadLetter(layout.deadLetterTopic(s.name()), BACKSTOP_DELIVERY_ATTEMPTS)
          .withBackoff(settings.minBackoff(), settings.maxBackoff());
      MessageHandler handler = p;
      if (s.kind() == StepKind.JOB) {
        String jobs = InProcessJobs.topic(layout, s.name());
        bus.createTopic(jobs);
        BatchJobRunner.Settings job = new BatchJobRunner.Settings(Math.max(settings.workers(), 1), settings.minBackoff(),
            settings.maxBackoff(), settings.scratch().resolve(s.name() + "-job"));
        // One batch at a time per step: the job itself keeps the machine busy.
        subscriptions.add(bus.subscribe(jobs, jobs + "-runner",
            SubscriptionSettings.defaults().withWorkers(1).withBackoff(settings.minBackoff(), settings.maxBackoff()),
            new InProcessJobs(graph, s.name(), ports, layout, job, listener)));
        BatchCollector c = new BatchCollector(graph.graph().name(), s, p, ports,
            m -> bus.publish(jobs, InProcessJobs.launchMessage(m)), listener);
        collectors.add(c);
        handler = c;
      }
      subscriptions.add(bus.subscribe(layout.topic(s.name()), layout.topic(s.name()) + "-runner", sub, handler));
    }
    if (!collectors.isEmpty()) {
      batchTimer.scheduleWithFixedDelay(this::sealDueBatches, 1, 1, TimeUnit.SECONDS);
    }
  }

  /**
   * Starts again every batch that a crash left unfinished (see {@link InProcessJobs#resumable}).
   *
   * @return how many
   */
  public int resumeBatches() throws IOException {
    int n = 0;
    for (StepSpec s : graph.graph().steps()) {
      if (s.kind() != StepKind.JOB) continue;
      for (BatchManifest m : InProcessJobs.resumable(graph.graph().name(), s.name(), ports)) {
        ports.bus().publish(InProcessJobs.topic(layout, s.name()), InProcessJobs.launchMessage(m));
        n++;
      }
    }
    return n;
  }

  /**
   * Seals every open batch now, whatever its size: for a run that has nothing else left to do.
   *
   * @return true when a batch was sealed (so there is work again)
   */
  public boolean flushBatches() throws IOException {
    boolean any = false;
    for (BatchCollector c : collectors) any |= c.flush();
    return any;
  }

  /**
   * Waits until the bus is idle ({@code awaitBus}, {@code outstanding}) and no batch is open: when
   * only open batches are left, they are sealed and run rather than left to fill.
   */
  public boolean awaitIdle(Duration timeout, Predicate<Duration> awaitBus, LongSupplier outstanding) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (!awaitBus.test(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) return false;
      try {
        if (!flushBatches() && outstanding.getAsLong() == 0) return true;
      } catch (IOException e) {
        if (System.nanoTime() >= deadline) return false;
        try {
          Thread.sleep(100);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
    }
  }

  private void sealDueBatches() {
    for (BatchCollector c : collectors) {
      try {
        c.sealIfDue();
      } catch (IOException | RuntimeException e) {
        // Tried again on the next tick; the items stay held by the open batch meanwhile.
      }
    }
  }

  /**
   * Subscribes a {@link DeadLetterLog} writing to {@code file} to every step's dead-letter topic
   * (subscription {@code <dead-letter topic><suffix>}); closed with the runtime.
   */
  public void logDeadLetters(Path file, String suffix) {
    DeadLetterLog log = new DeadLetterLog(file);
    for (StepSpec s : graph.graph().steps()) {
      String topic = layout.deadLetterTopic(s.name());
      subscriptions.add(ports.bus().subscribe(topic, topic + suffix, SubscriptionSettings.defaults(), log));
    }
  }

  /** Sends an envelope to a step. */
  public void publish(String step, Envelope envelope) {
    graph.graph().step(step);
    ports.bus().publish(layout.topic(step), EnvelopeCodec.encode(envelope));
  }

  public ResolvedGraph graph() {
    return graph;
  }

  public Layout layout() {
    return layout;
  }

  @Override
  public void close() {
    batchTimer.shutdownNow();
    subscriptions.forEach(MessageBus.Subscription::close);
    pipelines.forEach(StepPipeline::close);
    runner.shutdownNow();
  }
}
