package io.wavegraph.core.port;

import java.io.IOException;

/** A conditional write found the object in another state than the one it required. */
public class PreconditionFailedException extends IOException {
  public PreconditionFailedException(String key, Precondition expected, String actualGeneration) {
    super(key + ": precondition " + expected + " failed; current generation is "
        + (actualGeneration == null ? "none (absent)" : actualGeneration));
  }
}
