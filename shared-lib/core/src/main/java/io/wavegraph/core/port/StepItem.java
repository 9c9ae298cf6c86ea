package io.wavegraph.core.port;

import java.util.Objects;

/** The key of a ledger record: one step and one item. */
public record StepItem(String step, String item) {
  public StepItem {
    Objects.requireNonNull(step, "step");
    Objects.requireNonNull(item, "item");
  }

  @Override
  public String toString() {
    return step + "/" + item;
  }
}
