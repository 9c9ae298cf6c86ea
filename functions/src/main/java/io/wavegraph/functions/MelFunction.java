package io.wavegraph.functions;

/** Pub/Sub push entry point of a step that {@code uses: mel}. */
public final class MelFunction extends StepFunction {
  public MelFunction() {
    this(StepRuntime.shared("mel"));
  }

  MelFunction(StepRuntime runtime) {
    super(checked(runtime, "mel"));
  }
}
