package io.wavegraph.core.graph;

/** A place in a graph file, 1-based, for error messages. */
public record SourcePosition(String file, int line, int column) {
  public static final SourcePosition UNKNOWN = new SourcePosition("?", 0, 0);

  @Override
  public String toString() {
    return file + ":" + line + ":" + column;
  }
}
