package io.wavegraph.core.step;

/** A step's {@code uses} or {@code class} cannot be turned into code. */
public class StepResolutionException extends Exception {
  public StepResolutionException(String message) {
    super(message);
  }
}
