package io.wavegraph.chaos;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.wavegraph.gcp.EmulatorRuntime;
import io.wavegraph.testkit.Skips;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The long chaos run, for {@code bench/chaos.sh} (which sets the properties): {@code
 * wavegraph.chaos.graph}, {@code .input}, {@code .kills}, {@code .seed}, {@code .workdir}, {@code
 * .settle} (seconds), {@code .uploads} (seconds over which the inputs are uploaded), {@code .out}
 * (where the JSON line and the problems are written); {@code .items}: how many one-second tracks
 * to synthesize when the input folder does not exist; {@code .push}: {@code emulator} (the
 * emulator's push subscriptions) or {@code relay} ({@link PushRelay}, the default).
 */
@EnabledIfSystemProperty(named = "wavegraph.chaos.graph", matches = ".+")
class ChaosBench {
  @Test
  void run() throws Exception {
    Skips.unless(ChaosBench.class, EmulatorRuntime.whyUnavailable(Map.of()));
    Path work = Files.createDirectories(Path.of(System.getProperty("wavegraph.chaos.workdir")));
    Path input = Path.of(System.getProperty("wavegraph.chaos.input"));
    if (!Files.isDirectory(input)) {
      // No input folder yet: synthesize one-second tracks, as `wavegraph audio synth` does.
      int rc = io.wavegraph.cli.Main.execute("audio", "synth", input.toString(), "--items",
          System.getProperty("wavegraph.chaos.items", "200"), "--seconds", "1");
      assertThat(rc).as("audio synth").isZero();
    }
    ChaosRun.Result r = new ChaosRun(new ChaosRun.Options(Path.of(System.getProperty("wavegraph.chaos.graph")),
        input, Integer.getInteger("wavegraph.chaos.kills", 20),
        Long.getLong("wavegraph.chaos.seed", 1), work, true,
        Duration.ofSeconds(Long.getLong("wavegraph.chaos.settle", 180)),
        Double.parseDouble(System.getProperty("wavegraph.chaos.uploads", "60")),
        !"emulator".equals(System.getProperty("wavegraph.chaos.push", "relay")))).run();
    StringBuilder b = new StringBuilder();
    r.problems().forEach(p -> b.append(p).append('\n'));
    b.append(r.json()).append('\n');
    Files.writeString(Path.of(System.getProperty("wavegraph.chaos.out")), b, UTF_8);
    assertThat(r.holds()).as(r.json()).isTrue();
  }
}
