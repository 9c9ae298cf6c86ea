package io.wavegraph.functions;

/** Eventarc entry point (Cloud Storage finalize at a root, or Pub/Sub) of a step that {@code uses: loudness}. */
public final class LoudnessEventFunction extends StepEventFunction {
  public LoudnessEventFunction() {
    this(StepRuntime.shared("loudness"));
  }

  LoudnessEventFunction(StepRuntime runtime) {
    super(StepFunction.checked(runtime, "loudness"));
  }
}
