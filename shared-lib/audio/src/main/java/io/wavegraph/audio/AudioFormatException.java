package io.wavegraph.audio;

import java.io.IOException;

/**
 * The encoded audio is malformed, truncated or of an unsupported kind. Retrying will not help: the
 * input itself is bad. The message reads {@code "<source>: <problem>"}.
 */
public class AudioFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  private final String source;
  private final String problem;

  public AudioFormatException(String source, String problem) {
    super(source + ": " + problem);
    this.source = source;
    this.problem = problem;
  }

  /** The file or stream name given when the input was opened. */
  public String source() {
    return source;
  }

  /** What is wrong, without the source name. */
  public String problem() {
    return problem;
  }
}
