package io.wavegraph.functions;

/** Pub/Sub push entry point of a step that {@code uses: downsample}. */
public final class DownsampleFunction extends StepFunction {
  public DownsampleFunction() {
    this(StepRuntime.shared("downsample"));
  }

  DownsampleFunction(StepRuntime runtime) {
    super(checked(runtime, "downsample"));
  }
}
