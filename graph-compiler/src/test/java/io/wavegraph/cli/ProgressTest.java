package io.wavegraph.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.wavegraph.core.envelope.Envelope;
import io.wavegraph.core.port.BlobStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The live lines of a long run, drawn against a fake clock and a fake terminal. */
class ProgressTest {
  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final StringWriter screen = new StringWriter();

  @Test
  void eachStepShowsDoneOfTotalItsRateAndTheTimeLeft() {
    Progress p = new Progress(List.of("downsample", "tempo"), 200, now::get, new PrintWriter(screen));
    now.addAndGet(Duration.ofSeconds(10).toNanos());
    assertThat(p.line("downsample", 50, 10)).isEqualTo("downsample   50/200      5.0 items/s  ETA 30s");
    assertThat(p.line("tempo", 0, 10)).isEqualTo("tempo         0/200      0.0 items/s  ETA --");
    assertThat(p.line("tempo", 200, 10)).endsWith("done");
    assertThat(Progress.duration(3725)).isEqualTo("1h02m");
    assertThat(Progress.duration(125.2)).isEqualTo("2m06s");
  }

  @Test
  void redrawsInPlaceAndErasesItselfAtTheEnd() {
    Progress p = new Progress(List.of("downsample", "tempo"), 100, now::get, new PrintWriter(screen));
    Map<String, Integer> done = new HashMap<>(Map.of("downsample", 20, "tempo", 0));
    now.addAndGet(Duration.ofSeconds(4).toNanos());
    p.draw(done::get, 7);
    String first = screen.toString();
    assertThat(first).doesNotContain("\u001b[3A").contains("downsample   20/100      5.0 items/s  ETA 16s\n")
        .contains("7 message(s) queued");
    done.put("downsample", 100);
    now.addAndGet(Duration.ofSeconds(4).toNanos());
    p.draw(done::get, 0);
    String second = screen.toString().substring(first.length());
    assertThat(second).startsWith("\u001b[3A").contains("downsample  100/100     12.5 items/s  done");
    p.clear();
    assertThat(screen.toString()).endsWith("\u001b[3A");
  }

  @Test
  void awaitDrawsOnlyForATerminal() {
    PrintWriter err = new PrintWriter(screen);
    assertThat(Progress.await(session(3), s -> 1, List.of("a"), 2, err, null)).isTrue();
    assertThat(screen.toString()).as("no terminal: nothing extra").isEmpty();
    Progress live = new Progress(List.of("a"), 2, now::get, err);
    assertThat(Progress.await(session(3), s -> 1, List.of("a"), 2, err, live)).isTrue();
    assertThat(screen.toString()).contains("a  1/2").endsWith("\u001b[2A");
  }

  /** A runtime that goes idle after {@code busy} waits; each wait moves the fake clock on by 250 ms. */
  private Backend.Session session(int busy) {
    int[] left = {busy};
    return new Backend.Session() {
      public BlobStore input() { throw new UnsupportedOperationException(); }
      public void publish(String step, Envelope e) {}
      public boolean awaitIdle(Duration t) {
        now.addAndGet(t.toNanos());
        return left[0]-- <= 0;
      }
      public long outstanding() { return left[0]; }
      public Duration idleTimeout() { return Duration.ofDays(1); }
      public void close() {}
    };
  }
}
