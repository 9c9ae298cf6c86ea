package io.wavegraph.core.envelope;

/** Which way an envelope travels: from parents to children, or a request up to a parent. */
public enum Direction {
  DOWN,
  UP;

  public String wire() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
