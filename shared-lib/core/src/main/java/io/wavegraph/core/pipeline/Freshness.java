package io.wavegraph.core.pipeline;

import io.wavegraph.core.envelope.Envelope;
import io.wavegraph.core.graph.ResolvedGraph;
import io.wavegraph.core.port.BlobInfo;
import io.wavegraph.core.port.LedgerRecord;
import io.wavegraph.core.port.LedgerState;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Whether a DONE result still stands: the one judgement that the pipeline's done-skip (stage 4),
 * the batch collector's admission and {@code wavegraph status} all make.
 */
public final class Freshness {
  private Freshness() {}

  /**
   * Why a record would be redone, or null when it is current: done by {@code version}, every
   * declared output still there ({@code outputs}: output name to its blob, null when missing), and
   * made from exactly the inputs that stand now.
   */
  static String staleReason(String version, LedgerRecord r, Map<String, BlobInfo> outputs, ItemInputs inputs) {
    if (r == null || r.state() != LedgerState.DONE) return "not done";
    if (!version.equals(r.version())) return "made by version " + r.version() + ", current is " + version;
    for (Map.Entry<String, BlobInfo> o : outputs.entrySet()) {
      if (o.getValue() == null) return "output '" + o.getKey() + "' is missing";
    }
    if (!inputs.matches(r.inputs())) return "an input changed since";
    return null;
  }

  /**
   * True when a current record answers {@code request}: always, unless it is forced; a forced
   * request redoes a result once, so what finished after the request was made is its answer.
   */
  static boolean answers(LedgerRecord current, Envelope request) {
    return !request.force() || (current.finished() != null && current.finished().isAfter(request.trace().created()));
  }

  /** Stage 4 for a request: current (see {@link #staleReason}) and answering it. */
  static boolean skips(String version, LedgerRecord r, Map<String, BlobInfo> outputs, ItemInputs inputs, Envelope request) {
    return staleReason(version, r, outputs, inputs) == null && answers(r, request);
  }

  /** The blob of each declared output of {@code step} for {@code item}, null where it is missing. */
  static Map<String, BlobInfo> outputs(ResolvedGraph graph, Ports ports, String step, String item) throws IOException {
    Map<String, BlobInfo> out = new LinkedHashMap<>();
    for (String name : graph.outputs(step)) {
      out.put(name, ports.output().stat(Layout.outputKey(step, item, name)).orElse(null));
    }
    return out;
  }

  /** Why a record would be redone, or null when it is current, judged on the ports as they stand. */
  public static String staleReason(ResolvedGraph graph, Ports ports, LedgerRecord r) throws IOException {
    if (r.state() != LedgerState.DONE) return "not done";
    String step = r.key().step();
    String item = r.key().item();
    return staleReason(graph.blueprint(step).version(), r, outputs(graph, ports, step, item),
        ItemInputs.resolve(graph, step, item, ports));
  }
}
