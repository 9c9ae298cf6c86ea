package io.wavegraph.core.graph;

/** How a step is deployed: a function per message, or a batch job. */
public enum StepKind {
  FUNCTION,
  JOB;

  public String wire() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
