package io.wavegraph.cli;

import static io.wavegraph.cli.CliFixture.cli;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code wavegraph validate GRAPH --print-deploy-env}: what scripts/deploy.sh evals, read by the project's parser. */
class ValidateDeployEnvTest {
  @Test
  void printsWhatDeployNeedsForEitherYamlStyle(@TempDir Path dir) throws Exception {
    Path g = dir.resolve("g.yaml");
    Files.writeString(g, """
        name: stems
        gcp: {project: my-project, region: europe-west1}
        storage: {input: gs://in-bucket, output: gs://out-bucket}
        steps:
          a: {uses: downsample}
          b: {uses: separate, from: a, kind: job, image: europe-docker.pkg.dev/my-project/steps/separate:1.0}
          c: {class: io.wavegraph.compiler.UserGainStep, from: a, kind: job}
        """);
    var r = cli("validate", g.toString(), "--print-deploy-env");

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out().lines()).containsExactly(
        "WAVEGRAPH_NAME='stems'",
        "WAVEGRAPH_PROJECT='my-project'",
        "WAVEGRAPH_REGION='europe-west1'",
        "WAVEGRAPH_IMAGE_REPOSITORY='europe-west1-docker.pkg.dev/my-project/stems-images'",
        "WAVEGRAPH_STEP_IMAGES='europe-docker.pkg.dev/my-project/steps/separate:1.0'",
        "WAVEGRAPH_USES_JOB_IMAGE='1'");
  }

  @Test
  void refusesAGraphWithoutWhereToDeploy(@TempDir Path dir) throws Exception {
    Path g = dir.resolve("g.yaml");
    Files.writeString(g, "name: g\nsteps:\n  a: {uses: downsample}\n");
    var r = cli("validate", g.toString(), "--print-deploy-env");

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("deploying needs 'gcp: {project, region}'");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void quotesForTheShell() {
    assertThat(ValidateCommand.shellQuote("it's")).isEqualTo("'it'\\''s'");
  }
}
