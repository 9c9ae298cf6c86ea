package io.wavegraph.functions;

/** Eventarc entry point (Cloud Storage finalize at a root, or Pub/Sub) of a step that {@code uses: tempo}. */
public final class TempoEventFunction extends StepEventFunction {
  public TempoEventFunction() {
    this(StepRuntime.shared("tempo"));
  }

  TempoEventFunction(StepRuntime runtime) {
    super(StepFunction.checked(runtime, "tempo"));
  }
}
