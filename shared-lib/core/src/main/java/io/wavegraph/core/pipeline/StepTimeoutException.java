package io.wavegraph.core.pipeline;

/** A step ran past its timeout and was interrupted; retried like any other failure. */
public class StepTimeoutException extends Exception {
  public StepTimeoutException(String message) {
    super(message);
  }
}
