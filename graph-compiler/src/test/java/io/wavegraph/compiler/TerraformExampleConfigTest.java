package io.wavegraph.compiler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.wavegraph.core.graph.GraphParser;
import io.wavegraph.core.step.StepFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The hand-written example root (terraform/examples/catalog) hands its step the function config the
 * compiler writes for its graph.yaml: same graph, topics, ledger, children and code version, so the
 * deployed function finds what the root creates. Set WAVEGRAPH_UPDATE_EXAMPLE=1 to rewrite it.
 */
class TerraformExampleConfigTest {
  private static final Path EXAMPLE = Path.of("..").toAbsolutePath().normalize().resolve("terraform/examples/catalog");

  @Test
  void exampleConfigIsWhatTheCompilerWrites() throws Exception {
    GraphCompiler.Compilation c = new GraphCompiler().compile(
        new GraphParser(StepFactory.fromClassPath(getClass().getClassLoader())).parse(EXAMPLE.resolve("graph.yaml")));
    String compiled = c.files().get("functions/downsample.json");
    Path template = EXAMPLE.resolve("downsample.json.tftpl");
    if ("1".equals(System.getenv("WAVEGRAPH_UPDATE_EXAMPLE"))) {
      // The root names the buckets after the project, and passes project and region.
      Files.writeString(template, compiled
          .replace("\"my-project-catalog-input\"", "\"${input_bucket}\"")
          .replace("\"my-project-catalog-output\"", "\"${output_bucket}\"")
          .replace("\"project\": \"my-project\"", "\"project\": \"${project}\"")
          .replace("\"region\": \"europe-west1\"", "\"region\": \"${region}\""));
    }
    // What templatefile() makes of it with graph.yaml's own values.
    String rendered = Files.readString(template)
        .replace("${input_bucket}", "my-project-catalog-input")
        .replace("${output_bucket}", "my-project-catalog-output")
        .replace("${project}", "my-project")
        .replace("${region}", "europe-west1");
    ObjectMapper json = new ObjectMapper();
    assertThat(json.readTree(rendered))
        .as("%s is stale: rerun this test with WAVEGRAPH_UPDATE_EXAMPLE=1", template)
        .isEqualTo(json.readTree(compiled));
    assertThat(Files.readString(template)).contains("${input_bucket}", "${output_bucket}", "${project}", "${region}");
  }
}
