package io.wavegraph.compiler;

import static org.assertj.core.api.Assertions.assertThat;

import io.wavegraph.core.graph.GraphParser;
import io.wavegraph.core.step.StepFactory;
import io.wavegraph.tfprovider.StandInTerraform;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What a user's first deploy runs, offline: real Terraform's init -backend=false, validate and
 * plan -refresh=false on the compiled root of the example graph and of every golden graph, against
 * the stand-in google provider (tools/terraform-provider), with stand-in values for the required
 * variables. A plan that would fail for real (a bad type, a for_each over apply-time values, an
 * attribute the provider does not have) fails here with Terraform's message. The hand-written
 * example root, terraform/examples/catalog (HCL, its gcs backend in backend.tf), plans the same way.
 */
class TerraformPlanTest {
  private static StandInTerraform terraform;

  @BeforeAll
  static void terraform() {
    StandInTerraform.Availability a = StandInTerraform.find();
    if (a instanceof StandInTerraform.Unavailable u) {
      System.out.println("*** SKIPPED: TerraformPlanTest (terraform init/validate/plan of the compiled graphs): " + u.reason() + " ***");
      Assumptions.abort(u.reason());
    }
    terraform = ((StandInTerraform.Available) a).terraform();
  }

  static Stream<String> graphs() {
    return Stream.concat(Stream.of("examples/catalog.yaml"), GraphCompilerGoldenTest.GRAPHS.stream().map(g -> "golden " + g));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("graphs")
  void initValidatesAndPlans(String graph, @TempDir Path tmp) throws Exception {
    GraphCompiler.Compilation c;
    if (graph.startsWith("golden ")) {
      c = GraphCompilerGoldenTest.compile(graph.substring("golden ".length()));
    } else {
      Path file = Path.of("..").toAbsolutePath().normalize().resolve(graph);
      c = new GraphCompiler().compile(new GraphParser(StepFactory.fromClassPath(getClass().getClassLoader())).parse(file));
    }
    for (Map.Entry<String, String> f : c.files().entrySet()) {
      Path p = tmp.resolve(f.getKey());
      Files.createDirectories(p.getParent());
      Files.writeString(p, f.getValue());
    }
    StandInTerraform.Result r = terraform.check(tmp.resolve("terraform"), Map.of());
    assertThat(r.ok()).as("%s:%n%s", graph, r.transcript()).isTrue();
    assertThat(r.planSummary()).as(r.transcript()).hasValueSatisfying(line ->
        assertThat(line).matches("Plan: [1-9]\\d* to add, 0 to change, 0 to destroy\\."));
    System.out.println(graph + ": " + r.planSummary().orElseThrow());
  }

  /**
   * The hand-written example root calls the modules as they are now: plan-time for_each keys, the
   * platform module's outputs, every required module variable. Its backend is HCL; the check drops it.
   */
  @Test
  void handWrittenExampleRootPlans() throws Exception {
    Path example = Path.of("..").toAbsolutePath().normalize().resolve("terraform/examples/catalog");
    StandInTerraform.Result r = terraform.check(example, Map.of("project", "demo-project"));
    System.out.println(r.transcript().lines().filter(l -> l.startsWith("$") || l.startsWith("Plan:")).toList());
    assertThat(r.ok()).as("terraform/examples/catalog:%n%s", r.transcript()).isTrue();
    // The platform module's services, build account and repository; the ledger, topics, buckets
    // and the step's function, subscription and IAM.
    assertThat(r.planSummary()).as(r.transcript()).hasValueSatisfying(line ->
        assertThat(line).matches("Plan: [1-9]\\d* to add, 0 to change, 0 to destroy\\."));
    assertThat(r.transcript().replaceAll("\\s+", " "))
        .contains("module.platform.google_project_service")
        .contains("module.step_downsample.google_cloudfunctions2_function.")
        .contains("\"demo-project-catalog-input\"");
    System.out.println("terraform/examples/catalog: " + r.planSummary().orElseThrow());
  }
}
