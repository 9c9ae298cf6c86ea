package io.wavegraph.functions;

/** Eventarc entry point (Cloud Storage finalize at a root, or Pub/Sub) of a step that {@code uses: downsample}. */
public final class DownsampleEventFunction extends StepEventFunction {
  public DownsampleEventFunction() {
    this(StepRuntime.shared("downsample"));
  }

  DownsampleEventFunction(StepRuntime runtime) {
    super(StepFunction.checked(runtime, "downsample"));
  }
}
