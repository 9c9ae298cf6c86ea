package io.wavegraph.audio.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wavegraph.testkit.StepHarness;
import io.wavegraph.testkit.TestAudio;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The loudness step as a graph runs it, through the test kit's harness. */
class LoudnessStepTest {
  @TempDir Path dir;

  @Test
  void aSineAtAKnownLevelMeasuresAsTheStandardSays() throws Exception {
    // 1 kHz mono at 0.3 of full scale: BS.1770 gives 20 log10(0.3) - 3.01 = -13.47 LUFS.
    Path tone = Files.write(dir.resolve("tone.wav"), TestAudio.sineWav(1000));
    StepHarness.Result r = StepHarness.of(LoudnessStep::new).named("loudness").workdir(dir).run(tone);
    JsonNode j = new ObjectMapper().readTree(r.text("json"));
    assertThat(j.get("integrated_lufs").asDouble()).isCloseTo(-13.47, within(0.3));
    assertThat(j.get("sample_peak_dbfs").asDouble()).isCloseTo(-10.46, within(0.05));
    assertThat(j.get("duration_seconds").asDouble()).isEqualTo(1.0);
    assertThat(r.file("json")).isEqualTo(dir.resolve("loudness/tone.json"));
  }

  @Test
  void takesNoParameters() throws Exception {
    Path tone = Files.write(dir.resolve("tone.wav"), TestAudio.sineWav(1000));
    assertThatThrownBy(() -> StepHarness.of(LoudnessStep::new).param("target", -14).run(tone))
        .hasMessageContaining("unknown parameter 'target'");
  }
}
