package io.wavegraph.core.graph;

import io.wavegraph.core.step.Blueprint;
import java.util.List;
import java.util.Map;

/** A validated graph with every step resolved to its code. */
public record ResolvedGraph(Graph graph, Map<String, Blueprint> blueprints) {
  public ResolvedGraph {
    blueprints = Map.copyOf(blueprints);
  }

  public Blueprint blueprint(String step) {
    Blueprint b = blueprints.get(step);
    if (b == null) throw new IllegalArgumentException("graph '" + graph.name() + "' has no step '" + step + "'");
    return b;
  }

  /** The declared outputs of a step, primary first. */
  public List<String> outputs(String step) {
    return blueprint(step).outputs();
  }
}
