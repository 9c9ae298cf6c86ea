package io.wavegraph.core.step;

import io.wavegraph.core.graph.StepSpec;
import java.util.List;
import java.util.function.Supplier;

/**
 * A step of a graph, resolved to its code: makes configured instances, and knows the step's
 * version (code version + parameters hash) and outputs.
 */
public final class Blueprint {
  private final StepSpec spec;
  private final Supplier<Step> supplier;
  private final String version;
  private final List<String> outputs;

  Blueprint(StepSpec spec, Supplier<Step> supplier, String version, List<String> outputs) {
    this.spec = spec;
    this.supplier = supplier;
    this.version = version;
    this.outputs = List.copyOf(outputs);
  }

  public StepSpec spec() {
    return spec;
  }

  public String name() {
    return spec.name();
  }

  /**
   * The step version: {@code <code version>-<first 12 hex digits of the SHA-256 of the
   * canonical parameters>}, where the code version is the step's {@link Step#version()} followed,
   * unless the step pins it ({@link Step#versionCoversCode()}), by a dot and 8 hex digits of the
   * hash of its code: {@code 1.3fa9c01b-0d8565321297}. A result recorded with another version is
   * stale.
   */
  public String version() {
    return version;
  }

  /** The declared output names, primary first. */
  public List<String> outputs() {
    return outputs;
  }

  /** A new configured instance (not yet opened). */
  public Step newInstance() {
    Step step = supplier.get();
    try {
      step.configure(new Params(spec.params()));
    } catch (BadParameterException e) {
      // The same parameters passed validation on the same code; a failure now is a bug in the step.
      throw new IllegalStateException("step '" + spec.name() + "' rejected parameters it accepted before", e);
    }
    return step;
  }
}
