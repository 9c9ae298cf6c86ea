package io.wavegraph.functions;

/** Eventarc entry point (Cloud Storage finalize at a root, or Pub/Sub) of a step that {@code uses: mfcc}. */
public final class MfccEventFunction extends StepEventFunction {
  public MfccEventFunction() {
    this(StepRuntime.shared("mfcc"));
  }

  MfccEventFunction(StepRuntime runtime) {
    super(StepFunction.checked(runtime, "mfcc"));
  }
}
