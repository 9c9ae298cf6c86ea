package io.wavegraph.local.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.wavegraph.core.batch.BatchAdmission;
import io.wavegraph.core.envelope.Envelope;
import io.wavegraph.core.envelope.EnvelopeCodec;
import io.wavegraph.core.graph.ResolvedGraph;
import io.wavegraph.core.pipeline.Layout;
import io.wavegraph.core.pipeline.PipelineEvent;
import io.wavegraph.core.pipeline.Ports;
import io.wavegraph.core.pipeline.StepPipeline;
import io.wavegraph.core.port.Ack;
import io.wavegraph.core.port.Delivery;
import io.wavegraph.core.port.SubscriptionSettings;
import io.wavegraph.local.DirectoryBlobStore;
import io.wavegraph.local.EmbeddedRuntime;
import io.wavegraph.local.InProcessBus;
import io.wavegraph.local.SqliteLedger;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A batch step's admission ({@link BatchAdmission}), as its cloud function runs it: finished work
 * is skipped and passed on to the children, a missing input is asked of the parent, and only what
 * needs a run reaches the admitted topic that the batch workflow gathers.
 */
class BatchAdmissionTest {
  @TempDir Path tmp;

  @Test
  void onlyWorkReachesTheAdmittedTopic() throws Exception {
    GraphFixture fx = new GraphFixture(tmp);
    for (String t : List.of("done1", "done2", "fresh", "orphan")) fx.inputFile(t + ".wav", t + "\n");
    ResolvedGraph g = fx.graph(BatchStepTest.GRAPH);
    // done1 and done2 through the whole graph; fresh through a only; orphan nowhere.
    fx.run(g, rt -> {
      for (String t : List.of("done1", "done2")) rt.publish("a", Envelope.request(t, Instant.now()));
      rt.publish("a", Envelope.request("fresh", Instant.now())
          .withRecipients(io.wavegraph.core.envelope.Recipients.only(List.of("a"))));
    });

    List<String> admitted = new CopyOnWriteArrayList<>();
    List<String> toChild = new CopyOnWriteArrayList<>();
    List<String> toParent = new CopyOnWriteArrayList<>();
    List<PipelineEvent> events = new CopyOnWriteArrayList<>();
    Layout layout = Layout.local();
    try (InProcessBus bus = new InProcessBus(InProcessBus.Options.defaults());
        SqliteLedger ledger = SqliteLedger.open(fx.work.resolve(EmbeddedRuntime.LEDGER_FILE))) {
      for (String t : List.of("a", "b", "c", "b-dead-letter", layout.admittedTopic("b"))) bus.createTopic(t);
      bus.subscribe(layout.admittedTopic("b"), "watch-admitted", SubscriptionSettings.defaults(), d -> record(admitted, d));
      bus.subscribe("c", "watch-c", SubscriptionSettings.defaults(), d -> record(toChild, d));
      bus.subscribe("a", "watch-a", SubscriptionSettings.defaults(), d -> record(toParent, d));
      Ports ports = new Ports(bus, DirectoryBlobStore.readOnly(fx.input),
          new DirectoryBlobStore(fx.work.resolve(EmbeddedRuntime.OUTPUTS_DIR)), ledger, Clock.systemUTC());
      try (StepPipeline pipeline = new StepPipeline(g, "b", ports, layout, events::add,
          Executors.newSingleThreadExecutor(), tmp.resolve("scratch"), "admit")) {
        BatchAdmission admission = new BatchAdmission(pipeline, bus, layout.admittedTopic("b"));
        for (String t : List.of("done1", "done2", "fresh", "orphan")) {
          Delivery d = new Delivery("m-" + t, EnvelopeCodec.encode(Envelope.request(t, Instant.now())), 1, Instant.now());
          assertThat(admission.handle(d)).as(t).isEqualTo(Ack.ACK);
        }
        assertThat(bus.awaitIdle(Duration.ofSeconds(10))).isTrue();
      }
    }
    assertThat(admitted).as("what the batch workflow gathers").containsExactly("fresh");
    assertThat(toChild).as("finished work passed on, so the children run").containsExactlyInAnyOrder("done1", "done2");
    assertThat(toParent).as("a missing input is asked of the parent").containsExactly("orphan");
    assertThat(events).filteredOn(e -> e.kind() == PipelineEvent.Kind.PROCESSED).as("admission runs nothing").isEmpty();
  }

  private static Ack record(List<String> into, Delivery d) {
    try {
      into.add(EnvelopeCodec.decode(d.message().data(), Instant.now()).item());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return Ack.ACK;
  }
}
