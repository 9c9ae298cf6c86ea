package io.wavegraph.functions;

/** Pub/Sub push entry point of a step that {@code uses: spectrogram}. */
public final class SpectrogramFunction extends StepFunction {
  public SpectrogramFunction() {
    this(StepRuntime.shared("spectrogram"));
  }

  SpectrogramFunction(StepRuntime runtime) {
    super(checked(runtime, "spectrogram"));
  }
}
