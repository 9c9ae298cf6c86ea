package io.wavegraph.core.step;

/** A step parameter is missing, of the wrong type, or out of range. */
public class BadParameterException extends Exception {
  private final String parameter;

  public BadParameterException(String parameter, String message) {
    super(message);
    this.parameter = parameter;
  }

  /** The parameter's name, or null when the problem is not about one parameter. */
  public String parameter() {
    return parameter;
  }
}
