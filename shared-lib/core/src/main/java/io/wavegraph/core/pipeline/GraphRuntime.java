package io.wavegraph.core.pipeline;

import io.wavegraph.core.envelope.Envelope;
import io.wavegraph.core.envelope.EnvelopeCodec;
import io.wavegraph.core.graph.ResolvedGraph;
import io.wavegraph.core.graph.StepSpec;
import io.wavegraph.core.port.MessageBus;
import io.wavegraph.core.port.SubscriptionSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A whole graph wired to one set of ports: a topic and a dead-letter topic per step, and a
 * subscription per step whose handler is that step's {@link StepPipeline}. The same wiring serves
 * the embedded runtime and any runtime whose bus delivers to this process.
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
          settings.scratch().resolve(s.name()), settings.owner());
      pipelines.add(p);
      // The pipeline dead-letters after the step's retries; the bus's own limit is a backstop
      // for a handler that cannot even record the failure.
      SubscriptionSettings sub = SubscriptionSettings.defaults()
          .withWorkers(settings.workers())
          .withDeadLetter(layout.deadLetterTopic(s.name()), s.retries() + 2)
          .withBackoff(settings.minBackoff(), settings.maxBackoff());
      subscriptions.add(bus.subscribe(layout.topic(s.name()), layout.topic(s.name()) + "-runner", sub, p));
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
    subscriptions.forEach(MessageBus.Subscription::close);
    pipelines.forEach(StepPipeline::close);
    runner.shutdownNow();
  }
}
