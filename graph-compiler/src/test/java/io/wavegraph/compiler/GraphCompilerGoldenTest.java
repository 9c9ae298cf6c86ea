package io.wavegraph.compiler;

import static org.assertj.core.api.Assertions.assertThat;

import io.wavegraph.core.graph.GraphParser;
import io.wavegraph.core.graph.ResolvedGraph;
import io.wavegraph.core.step.StepFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Graph in, Terraform, Workflows and step configurations out, compared with the checked-in goldens
 * under {@code src/test/resources/compiler/goldens}. Regenerate them with
 * {@code mvn -pl graph-compiler test -Dtest=GraphCompilerGoldenTest -Dwavegraph.goldens.update=true}
 * and review the diff. The copied modules are not part of the goldens (they are the repository's).
 */
class GraphCompilerGoldenTest {
  static final List<String> GRAPHS = List.of("chain", "fanout", "join", "gpu-batch", "user-class", "prefixed", "prefixed-batch");
  static final Path RESOURCES = Path.of("src/test/resources/compiler");
  static final boolean UPDATE = Boolean.getBoolean("wavegraph.goldens.update");

  static GraphCompiler.Compilation compile(String graph) throws Exception {
    Path file = RESOURCES.resolve("graphs/" + graph + ".yaml");
    ResolvedGraph g = new GraphParser(StepFactory.fromClassPath(GraphCompilerGoldenTest.class.getClassLoader()))
        .parse(Files.readString(file), graph + ".yaml", null);
    return new GraphCompiler().compile(g);
  }

  static Map<String, String> generated(GraphCompiler.Compilation c) {
    Map<String, String> out = new TreeMap<>(c.files());
    out.keySet().removeIf(k -> k.startsWith("terraform/modules/"));
    return out;
  }

  @ParameterizedTest
  @ValueSource(strings = {"chain", "fanout", "join", "gpu-batch", "user-class", "prefixed", "prefixed-batch"})
  void matchesTheGoldens(String graph) throws Exception {
    Map<String, String> files = generated(compile(graph));
    Path dir = RESOURCES.resolve("goldens/" + graph);
    if (UPDATE) {
      if (Files.isDirectory(dir)) try (Stream<Path> s = Files.walk(dir)) {
        s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
      for (var f : files.entrySet()) {
        Path p = dir.resolve(f.getKey());
        Files.createDirectories(p.getParent());
        Files.writeString(p, f.getValue(), StandardCharsets.UTF_8);
      }
      System.out.println("GOLDENS UPDATED: " + dir);
      return;
    }
    Map<String, String> golden = new TreeMap<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) golden.put(dir.relativize(p).toString().replace('\\', '/'), Files.readString(p));
    }
    assertThat(files.keySet()).as("emitted files of " + graph + " (regenerate with -Dwavegraph.goldens.update=true)").containsExactlyElementsOf(golden.keySet());
    for (var f : files.entrySet()) {
      assertThat(withoutCodeHashes(f.getValue())).as(f.getKey() + " of " + graph + " (regenerate with -Dwavegraph.goldens.update=true)")
          .isEqualTo(withoutCodeHashes(golden.get(f.getKey())));
    }
  }

  /**
   * Step versions carry a hash of the step's code ({@code 1.3fa9c01b-…}), which changes with any
   * edit of a built-in step; the goldens pin everything else, so that part is compared as a mask.
   */
  private static String withoutCodeHashes(String text) {
    return text == null ? null : text.replaceAll("(\"version\"\\s*:\\s*\"[^\".]*)\\.[0-9a-f]{8}-", "$1.CODE-");
  }

  @Test
  void theSameGraphGivesTheSameBytes() throws Exception {
    for (String g : GRAPHS) assertThat(compile(g).files()).isEqualTo(compile(g).files());
  }

  /** Cloud Run's GPU rules: an L4 needs 4 vCPU and 16 GiB, no zonal redundancy, and a task of at most 1 h. */
  @Test
  void theGpuJobAsksForWhatAnL4Needs() throws Exception {
    var files = compile("gpu-batch").files();
    var job = new com.fasterxml.jackson.databind.ObjectMapper().readTree(files.get("terraform/main.tf.json")).get("module").get("step_separate");
    assertThat(job.get("source").asText()).isEqualTo("./modules/step-job");
    assertThat(job.get("gpu").asText()).isEqualTo("nvidia-l4");
    assertThat(job.get("cpu").asText()).isEqualTo("4");
    assertThat(job.get("memory").asText()).isEqualTo("16Gi");
    assertThat(job.get("timeout_seconds").asLong()).isLessThanOrEqualTo(3600);
    assertThat(job.get("task_count").asInt()).isEqualTo(4);
    assertThat(job.get("parallelism").asInt()).isEqualTo(4);
    String module = files.get("terraform/modules/step-job/main.tf");
    assertThat(module).contains("gpu_zonal_redundancy_disabled = var.gpu == \"\" ? null : true")
        .contains("accelerator = node_selector.value")
        .contains("\"nvidia.com/gpu\" = \"1\"");
    assertThat(TerraformRoot.cpu("32Gi", true)).as("memory over 16Gi needs more vCPUs").isEqualTo("8");
    assertThat(TerraformRoot.cpu("6Gi", false)).isEqualTo("2");
    assertThat(TerraformRoot.cpu("512Mi", false)).isEqualTo("1");
  }

  @Test
  void everyWorkflowPassesTheSyntaxCheck() throws Exception {
    List<String> problems = new ArrayList<>();
    for (String g : GRAPHS) {
      for (var f : compile(g).files().entrySet()) {
        if (f.getKey().startsWith("workflows/")) problems.addAll(WorkflowCheck.check(g + "/" + f.getKey(), f.getValue()));
      }
    }
    assertThat(problems).isEmpty();
  }

  @Test
  void theWorkflowCheckCatchesMistakes() {
    assertThat(WorkflowCheck.check("w", """
        main:
          steps:
            - a:
                call: googleapis.pubsub.v1.projects.topics.publish
                args: {topic: t}
            - b:
                call: googleapis.nope.v1.do
            - c:
                assign:
                  - x: ${frobnicate(1)}
                next: nowhere
            - d:
                parallel:
                  concurrency_limit: 50
                  for:
                    value: i
                    in: ${l}
                    steps:
                      - e:
                          return: ${(i}
        """)).containsExactly(
        "w: main.a: connector googleapis.pubsub.v1.projects.topics.publish needs argument 'body'",
        "w: main.b: call to unknown function or connector 'googleapis.nope.v1.do'",
        "w: main.c: unknown function 'frobnicate' in ${frobnicate(1)}",
        "w: main.d: concurrency_limit over 20",
        "w: main.e: unbalanced expression: ${(i}",
        "w: main: 'next' to unknown step 'nowhere'");
  }

  /** Parses every emitted and hand-written Terraform file and checks it against the provider schema. */
  @Test
  void everyTerraformFileMatchesTheProviderSchema(@TempDir Path tmp) throws Exception {
    var tool = TerraformCheck.find();
    if (tool.isEmpty()) {
      System.out.println("*** SKIPPED: Terraform schema check: node or tools/hcl-check/node_modules is missing; run `npm ci --prefix tools/hcl-check` ***");
      Assumptions.abort("tools/hcl-check is not installed");
    }
    List<Path> targets = new ArrayList<>();
    for (String g : GRAPHS) {
      for (var f : compile(g).files().entrySet()) {
        Path p = tmp.resolve(g).resolve(f.getKey());
        Files.createDirectories(p.getParent());
        Files.writeString(p, f.getValue());
      }
      targets.add(tmp.resolve(g).resolve("terraform"));
    }
    Path repo = Path.of("..").toAbsolutePath().normalize();
    targets.add(repo.resolve("terraform/modules"));
    if (Files.isDirectory(repo.resolve("terraform/examples"))) targets.add(repo.resolve("terraform/examples"));
    TerraformCheck.Report r = tool.get().run(targets);
    assertThat(r.ok()).as(r.json()).isTrue();
    assertThat(r.json()).contains("\"problems\": []");
  }

  static String read(Path p) throws IOException {
    return Files.readString(p);
  }
}
