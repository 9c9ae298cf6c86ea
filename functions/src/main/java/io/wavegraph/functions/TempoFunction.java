package io.wavegraph.functions;

/** Pub/Sub push entry point of a step that {@code uses: tempo}. */
public final class TempoFunction extends StepFunction {
  public TempoFunction() {
    this(StepRuntime.shared("tempo"));
  }

  TempoFunction(StepRuntime runtime) {
    super(checked(runtime, "tempo"));
  }
}
