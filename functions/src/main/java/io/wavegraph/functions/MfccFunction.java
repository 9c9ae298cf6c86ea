package io.wavegraph.functions;

/** Pub/Sub push entry point of a step that {@code uses: mfcc}. */
public final class MfccFunction extends StepFunction {
  public MfccFunction() {
    this(StepRuntime.shared("mfcc"));
  }

  MfccFunction(StepRuntime runtime) {
    super(checked(runtime, "mfcc"));
  }
}
