package io.wavegraph.audio.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wavegraph.audio.SampleFormat;
import io.wavegraph.audio.WavWriter;
import io.wavegraph.core.step.BadInputException;
import io.wavegraph.testkit.StepHarness;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TempoStepTest {
  @TempDir Path dir;

  private JsonNode run(float[] mono, int rate) throws Exception {
    Path wav = dir.resolve("in.wav");
    try (WavWriter w = WavWriter.create(wav, rate, 1, SampleFormat.PCM_16)) {
      w.write(mono, mono.length);
    }
    StepHarness.Result r = StepHarness.of(TempoStep::new).named("tempo").workdir(dir).run(wav);
    assertThat(r.outputs()).containsOnlyKeys("json");
    return new ObjectMapper().readTree(r.text("json"));
  }

  @Test
  void writesBpmConfidenceAndBeats() throws Exception {
    int rate = 16000;
    float[] clicks = new float[rate * 12];
    for (int at = rate / 2; at + 160 <= clicks.length; at += rate / 2) { // 10 ms blips at 120 BPM
      for (int i = 0; i < 160; i++) clicks[at + i] = (float) (0.5 * Math.sin(2 * Math.PI * 1000 * i / rate));
    }
    JsonNode o = run(clicks, rate);
    assertThat(o.get("bpm").asDouble()).isCloseTo(120, within(1.0));
    assertThat(o.get("confidence").asDouble()).isBetween(0.5, 1.0);
    assertThat(o.get("beats").isArray()).isTrue();
    assertThat(o.get("beats").size()).isBetween(21, 24);
    assertThat(o.get("beats").get(0).asDouble()).isCloseTo(0.5, within(0.07));
  }

  @Test
  void silenceGivesNullBpm() throws Exception {
    JsonNode o = run(new float[16000 * 3], 16000);
    assertThat(o.get("bpm").isNull()).isTrue();
    assertThat(o.get("confidence").asDouble()).isZero();
    assertThat(o.get("beats").size()).isZero();
  }

  @Test
  void notAudioFailsTheItem() throws Exception {
    Path text = Files.writeString(dir.resolve("notes.txt"), "not audio");
    assertThatThrownBy(() -> StepHarness.of(TempoStep::new).workdir(dir).run(text))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("notes.txt");
  }

  @Test
  void isABuiltIn() {
    assertThat(new AudioSteps().steps()).containsKey("tempo");
  }
}
