package io.wavegraph.local.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.wavegraph.core.envelope.Envelope;
import io.wavegraph.core.graph.ResolvedGraph;
import io.wavegraph.core.pipeline.GraphRuntime;
import io.wavegraph.core.pipeline.Layout;
import io.wavegraph.core.pipeline.PipelineEvent;
import io.wavegraph.core.pipeline.PipelineEvent.Kind;
import io.wavegraph.core.pipeline.Ports;
import io.wavegraph.core.port.Completion;
import io.wavegraph.core.port.Ledger;
import io.wavegraph.core.port.LedgerRecord;
import io.wavegraph.core.port.LedgerState;
import io.wavegraph.core.port.StepItem;
import io.wavegraph.local.DirectoryBlobStore;
import io.wavegraph.local.InProcessBus;
import io.wavegraph.local.SqliteLedger;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A port that fails (a ledger answering UNAVAILABLE, as a cloud adapter reports it after its own
 * retries) makes the pipeline nack, so the bus redelivers: the message is never lost, and the item
 * is done once the port recovers.
 */
class PortFailureTest {
  @TempDir Path tmp;

  /** The SQLite ledger, unavailable for its first {@code failures} calls. */
  static final class FlakyLedger implements Ledger {
    final Ledger real;
    final AtomicInteger failuresLeft;

    FlakyLedger(Ledger real, int failures) {
      this.real = real;
      this.failuresLeft = new AtomicInteger(failures);
    }

    private void maybeFail() {
      if (failuresLeft.getAndDecrement() > 0) throw new UncheckedIOException(new IOException("UNAVAILABLE: ledger down"));
    }

    @Override
    public Optional<LedgerRecord> get(StepItem key) {
      maybeFail();
      return real.get(key);
    }

    @Override
    public Optional<LedgerRecord> claim(StepItem key, LedgerRecord expected, String owner, Instant now, Duration lease) {
      maybeFail();
      return real.claim(key, expected, owner, now, lease);
    }

    @Override
    public boolean renew(StepItem key, String owner, Instant until) {
      return real.renew(key, owner, until);
    }

    @Override
    public boolean complete(StepItem key, String owner, Completion completion) {
      return real.complete(key, owner, completion);
    }

    @Override
    public boolean fail(StepItem key, String owner, String error, boolean permanent, Instant now) {
      return real.fail(key, owner, error, permanent, now);
    }

    @Override
    public void notePing(StepItem key, Instant now) {
      real.notePing(key, now);
    }

    @Override
    public List<LedgerRecord> records(String step) {
      return real.records(step);
    }

    @Override
    public void close() {
      real.close();
    }
  }

  @Test
  void anUnavailableLedgerIsRetriedUntilTheItemIsDone() throws Exception {
    GraphFixture fx = new GraphFixture(tmp);
    fx.inputFile("t1.wav", "one\n");
    ResolvedGraph g = fx.graph("a: {uses: copy}\nb: {uses: copy, from: a}\n");
    List<PipelineEvent> events = new CopyOnWriteArrayList<>();
    try (InProcessBus bus = new InProcessBus();
        FlakyLedger ledger = new FlakyLedger(SqliteLedger.open(tmp.resolve("ledger.db")), 3)) {
      Ports ports = new Ports(bus, DirectoryBlobStore.readOnly(fx.input), new DirectoryBlobStore(tmp.resolve("out")),
          ledger, Clock.systemUTC());
      // Enough delivery attempts that the bus itself never gives up within the failures.
      GraphRuntime rt = new GraphRuntime(g, ports, Layout.local(),
          new GraphRuntime.Settings(1, Duration.ofMillis(5), Duration.ofMillis(20), tmp.resolve("scratch"), "test"), events::add);
      rt.start();
      rt.publish("a", Envelope.request("t1", Instant.now()));
      assertThat(bus.awaitIdle(Duration.ofSeconds(30))).isTrue();
      rt.close();
      assertThat(events.stream().filter(e -> e.kind() == Kind.RETRYING)).hasSize(3)
          .allSatisfy(e -> assertThat(e.detail()).contains("UNAVAILABLE"));
      assertThat(ledger.real.get(new StepItem("a", "t1")).orElseThrow().state()).isEqualTo(LedgerState.DONE);
      assertThat(ledger.real.get(new StepItem("b", "t1")).orElseThrow().state()).isEqualTo(LedgerState.DONE);
      assertThat(fx.runs("a", "t1")).isEqualTo(1);
    }
  }
}
