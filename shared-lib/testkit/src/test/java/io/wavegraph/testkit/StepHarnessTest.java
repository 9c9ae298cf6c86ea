package io.wavegraph.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wavegraph.core.step.BadInputException;
import io.wavegraph.core.step.BadParameterException;
import io.wavegraph.core.step.Params;
import io.wavegraph.core.step.Step;
import io.wavegraph.core.step.StepInput;
import io.wavegraph.core.step.StepOutput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StepHarnessTest {
  @TempDir Path dir;

  /** Upper-cases its text input; {@code twice} repeats it; {@code lazy} skips writing the count. */
  public static final class Shout implements Step {
    boolean twice;
    boolean lazy;

    @Override public List<String> outputs() { return List.of("txt", "count"); }

    @Override public void configure(Params p) throws BadParameterException {
      twice = p.getBoolean("twice", false);
      lazy = p.getBoolean("lazy", false);
    }

    @Override public void process(StepInput in, StepOutput out) throws Exception {
      String text = Files.readString(in.file());
      if (text.isEmpty()) throw new BadInputException(in.name() + ": empty");
      String s = twice ? text.toUpperCase() + text.toUpperCase() : text.toUpperCase();
      Files.writeString(out.file("txt"), s);
      if (!lazy) Files.writeString(out.file("count"), String.valueOf(s.length()));
    }
  }

  private Path input(String text) throws Exception {
    return Files.writeString(dir.resolve("in/hello.txt"), text, java.nio.charset.StandardCharsets.UTF_8,
        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.TRUNCATE_EXISTING);
  }

  @Test
  void runsARootOnAFileWithParametersAndGivesItsOutputs() throws Exception {
    Files.createDirectories(dir.resolve("in"));
    StepHarness.Result r = StepHarness.of(Shout::new).param("twice", true).workdir(dir.resolve("out")).run(input("hi"));
    assertThat(r.item()).isEqualTo("hello");
    assertThat(r.text("txt")).isEqualTo("HIHI");
    assertThat(r.text("count")).isEqualTo("4");
    assertThat(r.file("txt")).isEqualTo(dir.resolve("out/step/hello.txt"));
    assertThat(r.version()).matches("1\\.[0-9a-f]{8}-[0-9a-f]{12}");
  }

  @Test
  void runsAChildOnItsParentsOutputs() throws Exception {
    Files.createDirectories(dir.resolve("in"));
    StepHarness.Result r = StepHarness.of(Shout::new).named("shout").item("tracks/t1").parent("read", input("ok")).run();
    assertThat(r.text("txt")).isEqualTo("OK");
    assertThat(r.file("txt").toString()).endsWith("shout/tracks/t1.txt");
  }

  @Test
  void aParameterTheStepNeverReadsFails() throws Exception {
    Files.createDirectories(dir.resolve("in"));
    Path in = input("hi");
    assertThatThrownBy(() -> StepHarness.of(Shout::new).param("twise", true).run(in))
        .isInstanceOf(AssertionError.class).hasMessageContaining("unknown parameter 'twise'");
  }

  @Test
  void aDeclaredOutputThatWasNotWrittenFails() throws Exception {
    Files.createDirectories(dir.resolve("in"));
    Path in = input("hi");
    assertThatThrownBy(() -> StepHarness.of(Shout::new).param("lazy", true).run(in))
        .isInstanceOf(AssertionError.class).hasMessageContaining("[count]").hasMessageContaining("did not write");
  }

  @Test
  void theStepsOwnFailureComesOutUnchanged() throws Exception {
    Files.createDirectories(dir.resolve("in"));
    Path in = input("");
    assertThatThrownBy(() -> StepHarness.of(Shout::new).run(in)).isInstanceOf(BadInputException.class)
        .hasMessageContaining("hello.txt: empty");
  }
}
