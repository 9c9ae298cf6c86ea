package io.wavegraph.core.pipeline;

import io.wavegraph.core.graph.ResolvedGraph;
import io.wavegraph.core.port.LedgerRecord;
import io.wavegraph.core.port.LedgerState;
import java.io.IOException;

/** Whether a DONE result still stands, judged exactly as the pipeline's done-skip judges it. */
public final class Freshness {
  private Freshness() {}

  /** Why a DONE record would be redone, or null when it is current. */
  public static String staleReason(ResolvedGraph graph, Ports ports, LedgerRecord r) throws IOException {
    if (r.state() != LedgerState.DONE) return "not done";
    String step = r.key().step();
    String version = graph.blueprint(step).version();
    if (!version.equals(r.version())) return "made by version " + r.version() + ", current is " + version;
    for (String name : graph.outputs(step)) {
      if (ports.output().stat(Layout.outputKey(step, r.key().item(), name)).isEmpty()) {
        return "output '" + name + "' is missing";
      }
    }
    ItemInputs in = ItemInputs.resolve(graph, step, r.key().item(), ports);
    if (!in.matches(r.inputs())) return "an input changed since";
    return null;
  }
}
