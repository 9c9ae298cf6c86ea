package io.wavegraph.core.step;

import java.nio.file.Path;

/** What a step instance knows about where it runs. */
public interface StepContext {
  /** The step's name in the graph. */
  String stepName();

  /** The graph's name. */
  String graphName();

  /** A directory for scratch files, private to this instance. */
  Path scratchDir();
}
