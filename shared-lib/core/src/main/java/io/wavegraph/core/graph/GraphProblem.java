package io.wavegraph.core.graph;

/** One thing wrong with a graph file, and where. */
public record GraphProblem(SourcePosition position, String message) {
  @Override
  public String toString() {
    return position + ": " + message;
  }
}
