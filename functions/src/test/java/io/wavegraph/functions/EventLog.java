package io.wavegraph.functions;

import io.wavegraph.core.pipeline.PipelineEvent;
import io.wavegraph.core.pipeline.PipelineListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** The pipeline events of every hosted step, with a wait for a count (no sleeping in tests). */
final class EventLog implements PipelineListener {
  private final List<PipelineEvent> events = new ArrayList<>();

  @Override
  public synchronized void on(PipelineEvent e) {
    events.add(e);
    notifyAll();
  }

  synchronized long count(String step, PipelineEvent.Kind kind) {
    return events.stream().filter(e -> e.step().equals(step) && e.kind() == kind).count();
  }

  synchronized long count(String step, PipelineEvent.Kind kind, String item) {
    return events.stream().filter(e -> e.step().equals(step) && e.kind() == kind && e.item().equals(item)).count();
  }

  /** Waits until {@code step} has had {@code n} events of {@code kind}; fails after {@code timeout}. */
  synchronized void await(String step, PipelineEvent.Kind kind, long n, Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    Predicate<EventLog> done = l -> l.count(step, kind) >= n;
    while (!done.test(this)) {
      long left = end - System.nanoTime();
      if (left <= 0) throw new AssertionError("waited " + timeout + " for " + n + " " + kind + " at " + step + "; saw " + events);
      wait(Math.max(1, left / 1_000_000));
    }
  }
}
