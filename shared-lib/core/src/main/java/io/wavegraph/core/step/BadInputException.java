package io.wavegraph.core.step;

/**
 * The item's input cannot be processed by this step (a corrupt or unsupported file). The item
 * fails at once, with this message as the reason; retrying would not help.
 */
public class BadInputException extends Exception {
  public BadInputException(String message) {
    super(message);
  }

  public BadInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
