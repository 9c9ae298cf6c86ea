package io.wavegraph.core.pipeline;

import io.wavegraph.core.graph.ResolvedGraph;
import io.wavegraph.core.port.BlobInfo;
import io.wavegraph.core.port.BlobStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The inputs of one item at one step as they stand now: for a root, the object in the input
 * bucket; otherwise every declared output of every parent. Each is named by its URI, with its
 * current blob info (null when missing). The URI-to-fingerprint map (content checksum, or
 * generation where the store keeps no checksum) is what the ledger records.
 */
final class ItemInputs {
  /** A located input object. */
  record Located(BlobStore store, String key, BlobInfo info) {}

  final Map<String, Located> byUri = new LinkedHashMap<>();
  final List<String> missingParents = new ArrayList<>();
  /** For a root: why its input object cannot be used, or null. */
  String rootProblem;
  /** For a root: the input object's key. */
  String rootKey;

  static ItemInputs resolve(ResolvedGraph graph, String step, String item, Ports ports) throws IOException {
    ItemInputs in = new ItemInputs();
    List<String> parents = graph.graph().parents(step);
    if (parents.isEmpty()) {
      List<BlobInfo> found = Layout.inputsOf(item, ports.input().list(item));
      if (found.isEmpty()) {
        in.rootProblem = "no input object for item '" + item + "' (looked for " + ports.input().uri(item) + " and " + item + ".*)";
      } else if (found.size() > 1) {
        in.rootProblem = "item '" + item + "' is ambiguous: " + found.stream().map(BlobInfo::key).toList()
            + " all name it; keep one";
      } else {
        BlobInfo b = found.get(0);
        in.rootKey = b.key();
        in.byUri.put(ports.input().uri(b.key()), new Located(ports.input(), b.key(), b));
      }
      return in;
    }
    for (String p : parents) {
      boolean missing = false;
      for (String output : graph.outputs(p)) {
        String key = Layout.outputKey(p, item, output);
        BlobInfo b = ports.output().stat(key).orElse(null);
        in.byUri.put(ports.output().uri(key), new Located(ports.output(), key, b));
        missing |= b == null;
      }
      if (missing) in.missingParents.add(p);
    }
    return in;
  }

  /** The fingerprint of every present input, by URI. */
  Map<String, String> fingerprints() {
    Map<String, String> out = new LinkedHashMap<>();
    byUri.forEach((uri, l) -> {
      if (l.info() != null) out.put(uri, l.info().fingerprint());
    });
    return out;
  }

  /**
   * True when every input is present now with the fingerprint that {@code recorded} holds for it,
   * and the set of inputs is the same. A missing input is not a match: the result is redone
   * (bottom-up, after the parent remakes it) when it is asked for.
   */
  boolean matches(Map<String, String> recorded) {
    // Every input was present when the result was recorded, so the recorded key set is complete.
    if (!recorded.keySet().equals(byUri.keySet())) return false;
    for (Map.Entry<String, Located> e : byUri.entrySet()) {
      BlobInfo now = e.getValue().info();
      if (now == null || !now.fingerprint().equals(recorded.get(e.getKey()))) return false;
    }
    return true;
  }
}
