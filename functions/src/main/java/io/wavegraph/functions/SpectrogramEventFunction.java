package io.wavegraph.functions;

/** Eventarc entry point (Cloud Storage finalize at a root, or Pub/Sub) of a step that {@code uses: spectrogram}. */
public final class SpectrogramEventFunction extends StepEventFunction {
  public SpectrogramEventFunction() {
    this(StepRuntime.shared("spectrogram"));
  }

  SpectrogramEventFunction(StepRuntime runtime) {
    super(StepFunction.checked(runtime, "spectrogram"));
  }
}
