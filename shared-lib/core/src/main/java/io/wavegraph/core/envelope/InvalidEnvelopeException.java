package io.wavegraph.core.envelope;

/** A message that is not a valid envelope; the message says what is wrong. Never retried. */
public class InvalidEnvelopeException extends Exception {
  public InvalidEnvelopeException(String reason) {
    super(reason);
  }
}
