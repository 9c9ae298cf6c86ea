package io.wavegraph.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scripts/deploy.sh} parses, and its dry run ({@code DEPLOY_DRY_RUN=1}) reads the graph with
 * the project's parser, compiles it for real with {@code --check} (through this build's CLI: the
 * same offline check as {@code wavegraph compile --check}) and prints the build, push, init and apply
 * commands it would run: one Jib build per job image.
 */
class DeployScriptTest {
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  static final Path SCRIPT = ROOT.resolve("scripts/deploy.sh");

  record Run(int exit, String out) {}

  private static Run bash(Path dir, List<String> args) throws Exception {
    return bash(dir, args, java.util.Map.of());
  }

  private static Run bash(Path dir, List<String> args, java.util.Map<String, String> env) throws Exception {
    // The wavegraph command, as this build's classes (scripts/wavegraph would build the project).
    Path wavegraph = dir.resolve("wavegraph");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Files.writeString(wavegraph, "#!/usr/bin/env bash\nexec '" + java + "' -cp '" + System.getProperty("java.class.path")
        + "' io.wavegraph.cli.Main \"$@\"\n");
    Files.setPosixFilePermissions(wavegraph, PosixFilePermissions.fromString("rwxr-xr-x"));
    ProcessBuilder pb = new ProcessBuilder(args).directory(dir.toFile()).redirectErrorStream(true);
    pb.environment().put("DEPLOY_DRY_RUN", "1");
    pb.environment().put("WAVEGRAPH", wavegraph.toString());
    // Nothing may touch the cloud or build: mvn and gcloud on the path fail loudly. Terraform is
    // left real: the dry run's compile --check runs it offline (init, validate, plan against the
    // stand-in provider, where the check has them); every other terraform call is only printed.
    Path bin = Files.createDirectories(dir.resolve("bin"));
    for (String tool : List.of("mvn", "gcloud")) {
      Path t = bin.resolve(tool);
      Files.writeString(t, "#!/bin/sh\necho \"REAL RUN: " + tool + " $*\"\nexit 99\n");
      Files.setPosixFilePermissions(t, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
    pb.environment().remove("WAVEGRAPH_STATE_BUCKET");
    // The real Terraform check takes ~30 s a graph: one test runs it (below); the others test the
    // printed commands, with the stand-in provider out of reach (compile --check then says so).
    pb.environment().put("WAVEGRAPH_TERRAFORM_PROVIDER", dir.resolve("no-stand-in").toString());
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
    return new Run(p.exitValue(), out);
  }

  @Test
  void theScriptParses(@TempDir Path dir) throws Exception {
    Run r = bash(dir, List.of("bash", "-n", SCRIPT.toString()));
    assertThat(r.exit()).as(r.out()).isZero();
  }

  @Test
  void aDryRunBuildsThePushedImageOfTheGpuJobAndAppliesTheCompiledTerraform(@TempDir Path dir) throws Exception {
    Path graph = ROOT.resolve("graph-compiler/src/test/resources/compiler/graphs/gpu-batch.yaml");
    Path out = dir.resolve("out");

    Run r = bash(dir, List.of("bash", SCRIPT.toString(), graph.toString(), "--out", out.toString()));

    assertThat(r.exit()).as(r.out()).isZero();
    assertThat(r.out()).doesNotContain("REAL RUN");
    assertThat(out.resolve("functions/separate.json")).as("compiled for real").exists();
    String pom = ROOT.resolve("pom.xml").toString();
    assertThat(r.out().lines().filter(l -> l.contains("-Dimage=")).toList()).as(r.out()).containsExactly(
        "+ mvn -B -q -f " + pom + " -pl functions -am -DskipTests package -Dimage=europe-docker.pkg.dev/my-project/steps/separate:1.0");
    assertThat(r.out()).contains("+ terraform -chdir=" + out + "/terraform apply -input=false -var function_source_bucket=my-project-wavegraph-sources "
        + "-var function_source_object=functions/wavegraph-functions-HASH.zip\n");
    assertThat(r.out()).doesNotContain("job_image=");
  }

  @Test
  void aClassJobWithoutAnImageGetsTheWavegraphJobImage(@TempDir Path dir) throws Exception {
    Path graph = ROOT.resolve("graph-compiler/src/test/resources/compiler/graphs/user-class.yaml");
    Path out = dir.resolve("out");

    Run r = bash(dir, List.of("bash", SCRIPT.toString(), graph.toString(), "--out", out.toString(),
        "--job-image", "europe-west1-docker.pkg.dev/my-project/wavegraph/job:7", "--", "-auto-approve"));

    assertThat(r.exit()).as(r.out()).isZero();
    assertThat(r.out().lines().filter(l -> l.contains("-Dimage=")).toList()).as(r.out()).singleElement().asString()
        .endsWith(" package -Dimage=europe-west1-docker.pkg.dev/my-project/wavegraph/job:7");
    assertThat(r.out()).contains("-var job_image=europe-west1-docker.pkg.dev/my-project/wavegraph/job:7 -auto-approve\n");
  }

  /** The README's own form, flow style, was refused by the sed that read the graph before. */
  @Test
  void theGraphIsReadWithTheProjectsParser(@TempDir Path dir) throws Exception {
    Path graph = dir.resolve("flow.yaml");
    Files.writeString(graph, """
        name: flow
        gcp: {project: flow-project, region: us-central1}   # the README's form
        storage: {input: gs://flow-in, output: gs://flow-out}
        steps:
          a: {uses: downsample}
          b: {class: io.wavegraph.compiler.UserGainStep, from: a, kind: job}
        """);
    Run r = bash(dir, List.of("bash", SCRIPT.toString(), graph.toString(), "--out", dir.resolve("out").toString()));

    assertThat(r.exit()).as(r.out()).isZero();
    assertThat(r.out()).contains("gs://flow-project-wavegraph-sources").contains("--location us-central1")
        .as("the Wavegraph job image goes to the graph's repository, tagged by the archive's hash")
        .contains("-Dimage=us-central1-docker.pkg.dev/flow-project/flow-images/wavegraph-job:HASH\n")
        .contains("-var job_image=us-central1-docker.pkg.dev/flow-project/flow-images/wavegraph-job:HASH");
  }

  @Test
  void aGraphWithoutGcpIsRefusedByTheParserWithItsReason(@TempDir Path dir) throws Exception {
    Path graph = dir.resolve("nogcp.yaml");
    Files.writeString(graph, "name: nogcp\nsteps:\n  a: {uses: downsample}\n");
    Run r = bash(dir, List.of("bash", SCRIPT.toString(), graph.toString()));

    assertThat(r.exit()).as(r.out()).isEqualTo(2);
    assertThat(r.out()).contains("deploying needs 'gcp: {project, region}'");
  }

  /** Terraform creates the repository the images are pushed to: the platform module is applied first. */
  @Test
  void thePlatformIsAppliedBeforeTheImagesArePushedAndTheStateGoesToItsBucket(@TempDir Path dir) throws Exception {
    Path graph = ROOT.resolve("graph-compiler/src/test/resources/compiler/graphs/gpu-batch.yaml");
    Path out = dir.resolve("out");
    Run r = bash(dir, List.of("bash", SCRIPT.toString(), graph.toString(), "--out", out.toString()),
        java.util.Map.of("WAVEGRAPH_STATE_BUCKET", "my-state"));

    assertThat(r.exit()).as(r.out()).isZero();
    String o = r.out();
    assertThat(o).contains("+ terraform -chdir=" + out + "/terraform init -input=false -backend-config=bucket=my-state\n")
        .contains("+ gcloud storage buckets create gs://my-state ");
    assertThat(o.indexOf("apply -input=false -target=module.platform")).as(o).isPositive().isLessThan(o.indexOf("-Dimage="));
    assertThat(o.indexOf("-Dimage=")).isLessThan(o.lastIndexOf("apply -input=false -var"));
    assertThat(o).as("the dry run checks the compiled output as compile --check does").contains("workflows: every workflow passes the syntax check");
  }

  /** Issue 10, item 6: the dry run runs real terraform init, validate and plan on what it compiled. */
  @Test
  void aDryRunPlansTheCompiledTerraformWithRealTerraform(@TempDir Path dir) throws Exception {
    if (!(io.wavegraph.tfprovider.StandInTerraform.find() instanceof io.wavegraph.tfprovider.StandInTerraform.Available)) {
      System.out.println("*** SKIPPED: deploy.sh dry run with real Terraform: " + io.wavegraph.tfprovider.StandInTerraform.find() + " ***");
      org.junit.jupiter.api.Assumptions.abort("no terraform or stand-in provider");
    }
    Path out = dir.resolve("out");
    Run r = bash(dir, List.of("bash", SCRIPT.toString(), ROOT.resolve("examples/catalog.yaml").toString(), "--out", out.toString()),
        java.util.Map.of("WAVEGRAPH_TERRAFORM_PROVIDER", ROOT.resolve("tools/terraform-provider").toString()));

    assertThat(r.exit()).as(r.out()).isZero();
    assertThat(r.out()).contains("terraform init -backend=false -input=false -no-color: ok", "terraform validate -no-color: ok")
        .containsPattern("terraform: Plan: [1-9][0-9]* to add, 0 to change, 0 to destroy\\.")
        .doesNotContain("REAL RUN");
  }

  @Test
  void localStateIsOnlyUsedWhenAskedFor(@TempDir Path dir) throws Exception {
    Path graph = ROOT.resolve("graph-compiler/src/test/resources/compiler/graphs/gpu-batch.yaml");
    Path out = dir.resolve("out");
    Run r = bash(dir, List.of("bash", SCRIPT.toString(), graph.toString(), "--out", out.toString(), "--local-state"));

    assertThat(r.exit()).as(r.out()).isZero();
    assertThat(r.out()).contains("+ terraform -chdir=" + out + "/terraform init -input=false\n").doesNotContain("backend-config");
    assertThat(out.resolve("terraform/backend.tf.json")).doesNotExist();
  }

  /**
   * The real run (no dry run), with mvn, gcloud and terraform replaced by fakes that log each call:
   * a bucket is created only when {@code gcloud storage buckets describe} says it is absent, and the
   * steps come in the order a fresh project needs (platform, then images, then everything).
   */
  @Test
  void aRealRunCreatesOnlyTheMissingBucketsAndAppliesThePlatformFirst(@TempDir Path dir) throws Exception {
    // The script finds the archive under its own root's functions/target: run a copy in dir.
    Path script = Files.createDirectories(dir.resolve("root/scripts")).resolve("deploy.sh");
    Files.copy(SCRIPT, script);
    Path log = dir.resolve("calls.log");
    Path bin = Files.createDirectories(dir.resolve("fakes"));
    String record = "echo \"$(basename \"$0\") $*\" >> '" + log + "'\n";
    Map<String, String> fakes = Map.of(
        // package writes the archive the way functions/pom.xml names it.
        "mvn", "#!/bin/sh\n" + record + "mkdir -p '" + dir.resolve("root/functions/target") + "'\n"
            + "touch '" + dir.resolve("root/functions/target/wavegraph-functions-0123456789ab.zip") + "'\n",
        // Only the state bucket exists already.
        "gcloud", "#!/bin/sh\n" + record + "if [ \"$1 $2 $3\" = \"storage buckets describe\" ]; then\n"
            + "  [ \"$4\" = gs://my-state ] && exit 0; echo 'ERROR: not found' >&2; exit 1\nfi\n",
        "terraform", "#!/bin/sh\n" + record);
    for (Map.Entry<String, String> f : fakes.entrySet()) {
      Path t = bin.resolve(f.getKey());
      Files.writeString(t, f.getValue());
      Files.setPosixFilePermissions(t, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    Path graph = ROOT.resolve("graph-compiler/src/test/resources/compiler/graphs/gpu-batch.yaml");
    Path out = dir.resolve("out");
    Run r = bash(dir, List.of("bash", script.toString(), graph.toString(), "--out", out.toString(), "--", "-auto-approve"),
        Map.of("DEPLOY_DRY_RUN", "", "WAVEGRAPH_STATE_BUCKET", "my-state", "PATH", bin + ":" + System.getenv("PATH")));

    assertThat(r.exit()).as(r.out()).isZero();
    List<String> calls = Files.readAllLines(log);
    String tf = "terraform -chdir=" + out + "/terraform ";
    String vars = "-var function_source_bucket=my-project-wavegraph-sources -var function_source_object=functions/wavegraph-functions-0123456789ab.zip";
    String pom = dir.resolve("root/pom.xml").toString();
    assertThat(calls).as(r.out()).containsExactly(
        "mvn -B -q -f " + pom + " -DskipTests -pl functions -am package",
        "gcloud storage buckets describe gs://my-project-wavegraph-sources --project my-project",
        "gcloud storage buckets create gs://my-project-wavegraph-sources --project my-project --location europe-west1"
            + " --uniform-bucket-level-access --public-access-prevention",
        "gcloud storage cp --no-clobber " + dir.resolve("root/functions/target/wavegraph-functions-0123456789ab.zip")
            + " gs://my-project-wavegraph-sources/functions/wavegraph-functions-0123456789ab.zip",
        "gcloud storage buckets describe gs://my-state --project my-project",
        tf + "init -input=false -backend-config=bucket=my-state",
        tf + "apply -input=false -target=module.platform " + vars + " -auto-approve",
        "mvn -B -q -f " + pom + " -pl functions -am -DskipTests package -Dimage=europe-docker.pkg.dev/my-project/steps/separate:1.0",
        tf + "apply -input=false " + vars + " -auto-approve");
    assertThat(out.resolve("terraform/backend.tf.json")).as("compiled for real, with its backend").exists();
  }
}
