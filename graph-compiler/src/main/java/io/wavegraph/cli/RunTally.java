package io.wavegraph.cli;

import io.wavegraph.core.pipeline.PipelineEvent;
import io.wavegraph.core.pipeline.PipelineEvent.Kind;
import io.wavegraph.core.pipeline.PipelineListener;
import io.wavegraph.core.port.StepItem;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts what a run did, per step: each (step, item) once, by its best outcome in this run
 * (processed, else failed, else skipped), since one item may reach a join more than once.
 */
final class RunTally implements PipelineListener {
  private final Map<StepItem, Kind> outcome = new ConcurrentHashMap<>();
  private final Map<StepItem, String> reasons = new ConcurrentHashMap<>();
  private final List<String> steps;

  RunTally(List<String> steps) {
    this.steps = List.copyOf(steps);
  }

  private final Map<String, Integer> pings = new ConcurrentHashMap<>();
  private final Map<String, java.util.concurrent.atomic.LongAdder> current = new ConcurrentHashMap<>();

  /**
   * Counts an item found done and current at {@code step} before the run sent it anywhere, as
   * skipped, without an entry of its own: it never enters the pipeline, so no other outcome can
   * come for it (a re-run of a big catalog is mostly these).
   */
  void currentBeforeStart(String step) {
    current.computeIfAbsent(step, s -> new java.util.concurrent.atomic.LongAdder()).increment();
  }

  private int current(String step) {
    var n = current.get(step);
    return n == null ? 0 : n.intValue();
  }

  @Override
  public void on(PipelineEvent e) {
    Kind k = e.kind();
    if (k == Kind.PING) pings.merge(e.step(), 1, Integer::sum);
    if (k != Kind.PROCESSED && k != Kind.FAILED && k != Kind.SKIPPED && k != Kind.INVALID) return;
    StepItem key = new StepItem(e.step(), e.item());
    Kind mapped = k == Kind.INVALID ? Kind.FAILED : k;
    outcome.merge(key, mapped, (a, b) -> rank(a) >= rank(b) ? a : b);
    if (mapped == Kind.FAILED) reasons.put(key, e.detail());
    else if (mapped == Kind.PROCESSED) reasons.remove(key);
  }

  /** Records a failure that happened before the pipeline (e.g. a file whose name is no item id). */
  void failedBeforeStart(String step, String item, String reason) {
    StepItem key = new StepItem(step, item);
    outcome.put(key, Kind.FAILED);
    reasons.put(key, reason);
  }

  private static int rank(Kind k) {
    return switch (k) {
      case PROCESSED -> 3;
      case FAILED -> 2;
      default -> 1;
    };
  }

  /** Per step: processed, skipped, failed. */
  Map<String, Map<String, Integer>> counts() {
    Map<String, Map<String, Integer>> out = new LinkedHashMap<>();
    for (String s : steps) {
      Map<String, Integer> c = new LinkedHashMap<>();
      c.put("processed", 0);
      c.put("skipped", current(s));
      c.put("failed", 0);
      out.put(s, c);
    }
    outcome.forEach((key, kind) -> {
      String col = switch (kind) {
        case PROCESSED -> "processed";
        case FAILED -> "failed";
        default -> "skipped";
      };
      out.computeIfAbsent(key.step(), s -> new LinkedHashMap<>()).merge(col, 1, Integer::sum);
    });
    return out;
  }

  /** The failures of this run, ordered by step (graph order) then item. */
  List<Failure> failures() {
    List<Failure> out = new ArrayList<>();
    outcome.forEach((key, kind) -> {
      if (kind == Kind.FAILED) out.add(new Failure(key.step(), key.item(), reasons.getOrDefault(key, "unknown")));
    });
    out.sort(Comparator.comparingInt((Failure f) -> steps.indexOf(f.step())).thenComparing(Failure::item));
    return out;
  }

  int done(String step) {
    int n = current(step);
    for (Map.Entry<StepItem, Kind> e : outcome.entrySet()) if (e.getKey().step().equals(step)) n++;
    return n;
  }

  /** Pings that passed through each step, in graph order (steps no ping reached are left out). */
  Map<String, Integer> pings() {
    Map<String, Integer> out = new LinkedHashMap<>();
    for (String s : steps) if (pings.containsKey(s)) out.put(s, pings.get(s));
    return out;
  }

  record Failure(String step, String item, String error) {}
}
