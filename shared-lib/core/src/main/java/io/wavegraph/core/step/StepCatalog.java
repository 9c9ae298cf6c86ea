package io.wavegraph.core.step;

import java.util.Map;
import java.util.function.Supplier;

/**
 * A set of built-in transforms, found with {@link java.util.ServiceLoader}: a graph names one with
 * {@code uses:}. Each supplier makes a fresh, unconfigured instance.
 */
public interface StepCatalog {
  Map<String, Supplier<Step>> steps();
}
