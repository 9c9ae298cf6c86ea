package io.wavegraph.core.port;

/**
 * A condition on the current state of an object that a write must meet, like Cloud Storage's
 * {@code ifGenerationMatch}.
 */
public sealed interface Precondition {

  /** Write whatever is there. */
  record None() implements Precondition {}

  /** Write only if no object exists under the key ({@code ifGenerationMatch=0}). */
  record Absent() implements Precondition {}

  /** Write only if the object's current generation is this one. */
  record Generation(String generation) implements Precondition {}

  static Precondition none() {
    return new None();
  }

  static Precondition absent() {
    return new Absent();
  }

  /** Absent when {@code info} is null, else that object's generation. */
  static Precondition matching(BlobInfo info) {
    return info == null ? new Absent() : new Generation(info.generation());
  }
}
