package io.wavegraph.functions;

/** Eventarc entry point (Cloud Storage finalize at a root, or Pub/Sub) of a step that {@code uses: mel}. */
public final class MelEventFunction extends StepEventFunction {
  public MelEventFunction() {
    this(StepRuntime.shared("mel"));
  }

  MelEventFunction(StepRuntime runtime) {
    super(StepFunction.checked(runtime, "mel"));
  }
}
