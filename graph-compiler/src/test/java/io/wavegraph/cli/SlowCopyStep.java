package io.wavegraph.cli;

import io.wavegraph.core.step.BadParameterException;
import io.wavegraph.core.step.Params;
import io.wavegraph.core.step.Step;
import io.wavegraph.core.step.StepInput;
import io.wavegraph.core.step.StepOutput;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.List;

/** A user step for crash tests: copies its input after sleeping {@code ms}, so a run can be killed mid-batch. */
public final class SlowCopyStep implements Step {
  private int ms;

  @Override
  public void configure(Params p) throws BadParameterException {
    ms = p.getInt("ms", 100, 0, 60_000);
  }

  @Override
  public List<String> outputs() {
    return List.of("wav");
  }

  @Override
  public void process(StepInput in, StepOutput out) throws Exception {
    Thread.sleep(ms);
    Files.copy(in.file(), out.file("wav"), StandardCopyOption.REPLACE_EXISTING);
  }
}
