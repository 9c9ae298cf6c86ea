package io.wavegraph.compiler;

import io.wavegraph.core.step.BadParameterException;
import io.wavegraph.core.step.Params;
import io.wavegraph.core.step.Step;
import io.wavegraph.core.step.StepInput;
import io.wavegraph.core.step.StepOutput;
import java.util.List;

/** A user's step class, as a graph names it with {@code class:}. */
public final class UserGainStep implements Step {
  @Override
  public void configure(Params p) throws BadParameterException {
    p.getInt("db", 0, -60, 60);
  }

  @Override
  public List<String> outputs() {
    return List.of("wav");
  }

  @Override
  public void process(StepInput in, StepOutput out) {}
}
