package io.wavegraph.core.graph;

import java.util.List;
import java.util.stream.Collectors;

/** A graph file that cannot be used; {@link #problems()} lists everything found wrong. */
public class GraphException extends Exception {
  private final List<GraphProblem> problems;

  public GraphException(List<GraphProblem> problems) {
    super(problems.stream().map(GraphProblem::toString).collect(Collectors.joining("\n")));
    this.problems = List.copyOf(problems);
  }

  public List<GraphProblem> problems() {
    return problems;
  }
}
