package io.wavegraph.compiler.workflows;

/**
 * A construct, function or connector this interpreter does not know. Never caught by a workflow's
 * {@code except}: a test that meets one fails, so the compiler cannot emit something untested.
 */
final class Unsupported extends IllegalStateException {
  Unsupported(String what) {
    super("not supported by the workflow interpreter: " + what);
  }
}
