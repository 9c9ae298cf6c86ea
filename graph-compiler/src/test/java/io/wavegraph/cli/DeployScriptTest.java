package io.wavegraph.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scripts/deploy.sh} parses, and its dry run ({@code DEPLOY_DRY_RUN=1}) compiles the graph
 * for real (through this build's CLI) and prints the build, push and apply commands it would run:
 * one Jib build per job image, named from the compiled step configurations.
 */
class DeployScriptTest {
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  static final Path SCRIPT = ROOT.resolve("scripts/deploy.sh");

  record Run(int exit, String out) {}

  private static Run bash(Path dir, List<String> args) throws Exception {
    // The wavegraph command, as this build's classes (scripts/wavegraph would build the project).
    Path wavegraph = dir.resolve("wavegraph");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Files.writeString(wavegraph, "#!/usr/bin/env bash\nexec '" + java + "' -cp '" + System.getProperty("java.class.path")
        + "' io.wavegraph.cli.Main \"$@\"\n");
    Files.setPosixFilePermissions(wavegraph, PosixFilePermissions.fromString("rwxr-xr-x"));
    ProcessBuilder pb = new ProcessBuilder(args).directory(dir.toFile()).redirectErrorStream(true);
    pb.environment().put("DEPLOY_DRY_RUN", "1");
    pb.environment().put("WAVEGRAPH", wavegraph.toString());
    // Nothing may run for real: mvn, gcloud and terraform on the path fail loudly.
    Path bin = Files.createDirectories(dir.resolve("bin"));
    for (String tool : List.of("mvn", "gcloud", "terraform")) {
      Path t = bin.resolve(tool);
      Files.writeString(t, "#!/bin/sh\necho \"REAL RUN: " + tool + " $*\"\nexit 99\n");
      Files.setPosixFilePermissions(t, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
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
}
