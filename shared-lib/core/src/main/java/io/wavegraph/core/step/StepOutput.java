package io.wavegraph.core.step;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Where a step writes its outputs. Each output is written to a fresh local file; the runtime
 * stores it atomically only after {@code process} returns, so a failed or interrupted run leaves
 * the previous outputs untouched.
 */
public interface StepOutput {
  /**
   * A new local file to write output {@code name} to (one of the step's declared outputs).
   *
   * @throws IllegalArgumentException when the step did not declare that output
   */
  Path file(String name) throws IOException;
}
