package io.wavegraph.functions;

/** Pub/Sub push entry point of a step that {@code uses: loudness}. */
public final class LoudnessFunction extends StepFunction {
  public LoudnessFunction() {
    this(StepRuntime.shared("loudness"));
  }

  LoudnessFunction(StepRuntime runtime) {
    super(checked(runtime, "loudness"));
  }
}
