package io.wavegraph.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wavegraph.core.graph.ResolvedGraph;
import io.wavegraph.audio.steps.DownsampleStep;
import io.wavegraph.audio.steps.LoudnessStep;
import io.wavegraph.core.step.StepFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The compiler's golden configs (graph "chain") read, and resolved to a neighbourhood. */
class FunctionConfigTest {
  static String config(String name) throws IOException {
    try (InputStream in = FunctionConfigTest.class.getResourceAsStream("/config/" + name)) {
      // The fixtures name the built-ins' versions without their code hash, which changes with their code.
      return new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .replace("\"2-b2b08cad155e\"", "\"" + StepFactory.codeVersion(new DownsampleStep()) + "-b2b08cad155e\"")
          .replace("\"1-44136fa355b3\"", "\"" + StepFactory.codeVersion(new LoudnessStep()) + "-44136fa355b3\"");
    }
  }

  private static final StepFactory FACTORY = StepFactory.fromClassPath(FunctionConfigTest.class.getClassLoader());

  @Test
  void readsTheGoldenConfig() throws IOException {
    FunctionConfig c = FunctionConfig.parse(config("chain-loudness.json"));
    assertThat(c.step()).isEqualTo("loudness");
    assertThat(c.uses()).isEqualTo("loudness");
    assertThat(c.parents()).containsExactly("downsample");
    assertThat(c.topicPrefix()).isEqualTo("chain-");
    assertThat(c.deadLetterTopic()).isEqualTo("chain-loudness-dead-letter");
    assertThat(c.inputBucket()).isEqualTo("my-raw-audio");
    assertThat(c.ledgerCollection()).isEqualTo("ledger");
    assertThat(c.timeout()).isEqualTo(Duration.ofSeconds(120));
    assertThat(c.retries()).isEqualTo(2);
  }

  @Test
  void aJobConfigCarriesItsBatchRuleIntoTheStep() throws IOException {
    String job = config("chain-loudness.json").replaceFirst("\"kind\": *\"function\"", "\"kind\": \"job\"")
        .replaceFirst("\\{", "{\"job\": {\"name\": \"chain-loudness\", \"batch_size\": 16, \"batch_wait_seconds\": 300},");
    FunctionConfig c = FunctionConfig.parse(job);
    assertThat(c.batch()).isEqualTo(new io.wavegraph.core.graph.StepSpec.Batch(16, Duration.ofMinutes(5)));
    var spec = Neighbourhood.resolve(c, FACTORY).graph().step("loudness");
    assertThat(spec.kind()).isEqualTo(io.wavegraph.core.graph.StepKind.JOB);
    assertThat(spec.batch().maxWait()).isEqualTo(Duration.ofMinutes(5));
    assertThat(FunctionConfig.parse(config("chain-loudness.json")).batch()).isNull();
  }

  @Test
  void aJobConfigWithoutBatchFieldsRunsByTheDefaultRuleAndTasksAreRead() throws IOException {
    String bare = config("chain-loudness.json").replaceFirst("\\{", "{\"job\": {\"name\": \"chain-loudness\"},");
    assertThat(FunctionConfig.parse(bare).batch()).isEqualTo(io.wavegraph.core.graph.StepSpec.Batch.DEFAULT);
    String four = config("chain-loudness.json").replaceFirst("\\{",
        "{\"job\": {\"batch_size\": 8, \"batch_wait_seconds\": 60, \"batch_tasks\": 4},");
    assertThat(FunctionConfig.parse(four).batch()).isEqualTo(new io.wavegraph.core.graph.StepSpec.Batch(8, Duration.ofMinutes(1), 4));
  }

  /** Every config the compiler's goldens hold is read, and a job's carries the graph's batch rule. */
  @Test
  void readsEveryConfigTheCompilerWrites() throws IOException {
    java.nio.file.Path goldens = java.nio.file.Path.of("../graph-compiler/src/test/resources/compiler/goldens");
    List<java.nio.file.Path> files;
    try (var walk = java.nio.file.Files.walk(goldens)) {
      files = walk.filter(f -> f.getParent().getFileName().toString().equals("functions") && f.toString().endsWith(".json")).toList();
    }
    assertThat(files).isNotEmpty();
    for (java.nio.file.Path f : files) {
      FunctionConfig c = FunctionConfig.parse(java.nio.file.Files.readString(f));
      assertThat(c.batch() != null).as(f.toString()).isEqualTo(c.kind().equals("job"));
    }
    FunctionConfig separate = FunctionConfig.parse(java.nio.file.Files.readString(goldens.resolve("gpu-batch/functions/separate.json")));
    assertThat(separate.batch()).isEqualTo(new io.wavegraph.core.graph.StepSpec.Batch(64, Duration.ofMinutes(10), 4));
  }

  @Test
  void neighbourhoodHasTheStepItsParentsAndChildren() throws IOException {
    ResolvedGraph down = Neighbourhood.resolve(FunctionConfig.parse(config("chain-downsample.json")), FACTORY);
    assertThat(down.graph().children("downsample")).containsExactly("loudness");
    assertThat(down.blueprint("downsample").version()).matches("2\\.[0-9a-f]{8}-b2b08cad155e");

    ResolvedGraph loud = Neighbourhood.resolve(FunctionConfig.parse(config("chain-loudness.json")), FACTORY);
    assertThat(loud.graph().parents("loudness")).containsExactly("downsample");
    assertThat(loud.outputs("downsample")).containsExactly("wav");
    assertThat(loud.blueprint("loudness").spec().timeout()).isEqualTo(Duration.ofSeconds(120));
  }

  @Test
  void theGraphsShapeGivesEveryDescendantButOnlyChildrenAreSentTo() throws IOException {
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    var root = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(config("chain-downsample.json"));
    var report = ((com.fasterxml.jackson.databind.node.ObjectNode) root.get("graph_steps")).putObject("report");
    report.putArray("from").add("loudness");
    report.putArray("outputs").add("txt");
    ResolvedGraph g = Neighbourhood.resolve(FunctionConfig.parse(json.writeValueAsString(root)), FACTORY);
    assertThat(g.graph().children("downsample")).containsExactly("loudness");
    assertThat(g.graph().descendants("downsample")).containsExactlyInAnyOrder("loudness", "report");
    assertThat(g.outputs("report")).containsExactly("txt");
  }

  @Test
  void parentOutputsFromTheConfigWinOverTheBuiltInOfThatName() throws IOException {
    String text = config("chain-loudness.json").replace("\"children\"", "\"parent_outputs\": {\"downsample\": [\"flac\", \"txt\"]},\n  \"children\"");
    ResolvedGraph g = Neighbourhood.resolve(FunctionConfig.parse(text), FACTORY);
    assertThat(g.outputs("downsample")).isEqualTo(List.of("flac", "txt"));
  }

  @Test
  void refusesAnotherSchemaAMissingFieldAndCodeOfAnotherVersion() throws IOException {
    String golden = config("chain-loudness.json");
    assertThatThrownBy(() -> FunctionConfig.parse(golden.replace("function-config/v1", "function-config/v2")))
        .hasMessageContaining("schema");
    assertThatThrownBy(() -> FunctionConfig.parse(golden.replace("\"dead_letter\"", "\"dead\"")))
        .hasMessageContaining("dead_letter");
    FunctionConfig stale = FunctionConfig.parse(golden.replaceAll("\"version\": \"[^\"]*\"", "\"version\": \"0-000000000000\""));
    assertThatThrownBy(() -> Neighbourhood.resolve(stale, FACTORY)).hasMessageContaining("recompile");
  }

  @Test
  void configTextFromTheVariableOrAFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws IOException {
    assertThat(StepRuntime.configText(Map.of("WAVEGRAPH_CONFIG", "{}"))).isEqualTo("{}");
    java.nio.file.Path f = dir.resolve("c.json");
    java.nio.file.Files.writeString(f, "{\"a\":1}");
    assertThat(StepRuntime.configText(Map.of("WAVEGRAPH_CONFIG_FILE", f.toString()))).isEqualTo("{\"a\":1}");
    assertThatThrownBy(() -> StepRuntime.configText(Map.of())).hasMessageContaining("WAVEGRAPH_CONFIG");
  }
}
