package io.wavegraph.compiler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wavegraph.core.graph.GraphParser;
import io.wavegraph.core.step.StepFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The properties a first {@code terraform apply} on a fresh project depends on, each asserted on
 * the emitted root module (parsed JSON) and on the modules it calls, for every golden graph and the
 * example. Each test names the defect it guards against (issue 10).
 */
class TerraformDeployDefectsTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  static final Path MODULES = REPO.resolve("terraform/modules");

  static Map<String, String> compile(String graph) throws Exception {
    return GraphCompilerGoldenTest.compile(graph).files();
  }

  static Map<String, String> compileExample() throws Exception {
    Path file = REPO.resolve("examples/catalog.yaml");
    var g = new GraphParser(StepFactory.fromClassPath(TerraformDeployDefectsTest.class.getClassLoader()))
        .parse(Files.readString(file), "catalog.yaml", null);
    return new GraphCompiler().compile(g).files();
  }

  static JsonNode json(Map<String, String> files, String path) throws Exception {
    return JSON.readTree(files.get(path));
  }

  static String module(String name) throws Exception {
    return Files.readString(MODULES.resolve(name).resolve("main.tf"));
  }

  /** The text of {@code resource "TYPE" "NAME" { ... }}, braces matched. */
  static String block(String hcl, String type, String name) {
    int start = hcl.indexOf("resource \"" + type + "\" \"" + name + "\" {");
    assertThat(start).as("resource %s.%s", type, name).isNotNegative();
    int depth = 0;
    for (int i = hcl.indexOf('{', start); i < hcl.length(); i++) {
      if (hcl.charAt(i) == '{') depth++;
      if (hcl.charAt(i) == '}' && --depth == 0) return hcl.substring(start, i + 1);
    }
    throw new AssertionError("unbalanced block " + type + "." + name);
  }

  // A Terraform type expression: a primitive, or a constructor of one. In JSON syntax it is a plain
  // string; "${string}" is an invalid type specification.
  static final Pattern TYPE = Pattern.compile("(string|number|bool|any|(list|set|map|object|tuple|optional)\\(.*\\))");

  @Test
  void everyVariableTypeIsATypeExpressionNotAnInterpolation() throws Exception {
    for (String g : GraphCompilerGoldenTest.GRAPHS) {
      JsonNode vars = json(compile(g), "terraform/variables.tf.json").get("variable");
      for (Iterator<Map.Entry<String, JsonNode>> it = vars.fields(); it.hasNext(); ) {
        var v = it.next();
        assertThat(v.getValue().get("type").asText()).as(g + ": variable " + v.getKey()).matches(TYPE);
      }
    }
    try (var files = Files.walk(MODULES)) {
      for (Path p : files.filter(f -> f.getFileName().toString().equals("variables.tf")).toList()) {
        Matcher m = Pattern.compile("(?m)^\\s*type\\s*=\\s*(.+)$").matcher(Files.readString(p));
        while (m.find()) assertThat(m.group(1)).as(p + ": type").doesNotContain("${").matches("(?s)" + TYPE.pattern() + "|[a-z]+\\(.*");
      }
    }
  }

  /**
   * for_each keys must be known at plan time: topic, subscription and job ids are known only after
   * apply, so every map the root passes to a for_each is keyed by literal (step) names, and no
   * module iterates over a list of ids.
   */
  @Test
  void forEachIsKeyedByNamesKnownAtPlanTime() throws Exception {
    List<String> keyed = List.of("topics", "publish_topics", "subscriptions", "run_jobs", "read_access", "write_access");
    for (String g : GraphCompilerGoldenTest.GRAPHS) {
      JsonNode modules = json(compile(g), "terraform/main.tf.json").get("module");
      for (Iterator<Map.Entry<String, JsonNode>> it = modules.fields(); it.hasNext(); ) {
        var m = it.next();
        for (String k : keyed) {
          JsonNode arg = m.getValue().get(k);
          if (arg == null) continue;
          assertThat(arg.isObject()).as(g + ": module." + m.getKey() + "." + k + " is a map").isTrue();
          arg.fieldNames().forEachRemaining(key -> assertThat(key).as(g + ": key of module." + m.getKey() + "." + k).doesNotContain("${"));
        }
      }
    }
    for (String m : List.of("step-function", "step-job", "workflow", "bucket-trigger")) {
      Matcher fe = Pattern.compile("for_each\\s*=\\s*(.+)").matcher(module(m));
      while (fe.find()) {
        String expr = fe.group(1).trim();
        assertThat(expr).as(m + ": for_each = " + expr).doesNotContain("toset(var.").doesNotContain("_ids");
      }
    }
  }

  @Test
  void functionsBuildAsTheGraphsOwnBuildAccountWithJustTheBuildRoles() throws Exception {
    JsonNode modules = json(compile("chain"), "terraform/main.tf.json").get("module");
    for (Iterator<Map.Entry<String, JsonNode>> it = modules.fields(); it.hasNext(); ) {
      var m = it.next();
      if (!m.getValue().get("source").asText().endsWith("/step-function")) continue;
      assertThat(m.getValue().get("build_service_account").asText()).isEqualTo("${module.platform.build_service_account_id}");
    }
    assertThat(block(module("step-function"), "google_cloudfunctions2_function", "this"))
        .containsPattern("service_account\\s*=\\s*var.build_service_account")
        .containsPattern("docker_repository\\s*=\\s*var.docker_repository");
    String platform = module("platform");
    Matcher roles = Pattern.compile("role\\s*=\\s*\"(roles/[^\"]+)\"").matcher(platform);
    List<String> granted = new ArrayList<>();
    while (roles.find()) granted.add(roles.group(1));
    assertThat(granted).containsExactlyInAnyOrder("roles/logging.logWriter", "roles/storage.objectViewer", "roles/artifactregistry.writer");
    assertThat(block(platform, "google_storage_bucket_iam_member", "build_source")).contains("bucket = var.source_bucket");
  }

  @Test
  void everyApiIsEnabledBeforeTheResourcesThatNeedItAndTheReadmeAgrees() throws Exception {
    for (String g : GraphCompilerGoldenTest.GRAPHS) {
      JsonNode modules = json(compile(g), "terraform/main.tf.json").get("module");
      List<String> services = new ArrayList<>();
      modules.get("platform").get("services").forEach(s -> services.add(s.asText()));
      assertThat(services).contains("cloudfunctions.googleapis.com", "run.googleapis.com", "cloudbuild.googleapis.com",
          "artifactregistry.googleapis.com", "pubsub.googleapis.com", "firestore.googleapis.com", "workflows.googleapis.com",
          "workflowexecutions.googleapis.com", "cloudscheduler.googleapis.com", "iam.googleapis.com", "logging.googleapis.com");
      for (Iterator<Map.Entry<String, JsonNode>> it = modules.fields(); it.hasNext(); ) {
        var m = it.next();
        if (m.getKey().equals("platform")) continue;
        assertThat(m.getValue().get("depends_on")).as(g + ": module." + m.getKey() + ".depends_on").isNotNull();
        assertThat(m.getValue().get("depends_on").toString()).contains("module.platform");
      }
    }
    assertThat(block(module("platform"), "google_project_service", "this")).contains("disable_on_destroy = false");
    String readme = Files.readString(REPO.resolve("README.md"));
    String deploy = readme.substring(readme.indexOf("## Deploy to Google Cloud"));
    deploy = deploy.substring(0, deploy.indexOf("\n## ", 5));
    Matcher api = Pattern.compile("[a-z]+\\.googleapis\\.com").matcher(deploy);
    TreeSet<String> listed = new TreeSet<>();
    while (api.find()) listed.add(api.group());
    assertThat(listed).as("the README's API list").isEqualTo(new TreeSet<>(TerraformRoot.SERVICES));
  }

  /** Both READMEs say what the offline check covers and what only a real project can show. */
  @Test
  void theReadmesSayWhatIsCheckedOfflineAndWhatOnlyARealProjectShows() throws Exception {
    String tf = Files.readString(REPO.resolve("terraform/README.md")).replaceAll("\\s+", " ");
    String section = tf.substring(tf.indexOf("## What is checked offline"));
    int split = section.indexOf("Only a real project");
    assertThat(section.substring(0, split)).contains("`init -backend=false`, `validate` and `plan -refresh=false`",
        "schema of google provider 6.50.0", "The workflows' syntax");
    assertThat(section.substring(split)).contains("IAM honoured", "API enablement latency",
        "The provider's own value validations", "Quotas", "GPU availability per region");
    String readme = Files.readString(REPO.resolve("README.md")).replaceAll("\\s+", " ");
    String deploy = readme.substring(readme.indexOf("**What is checked offline, and what only a real project shows.**"));
    assertThat(deploy.substring(0, deploy.indexOf("Root module inputs"))).contains("validate", "plan", "workflows",
        "IAM honoured", "API enablement latency", "the provider's own value validations", "quotas", "GPU availability per region");
  }

  @Test
  void theImageRepositoryIsCreatedByTerraform() throws Exception {
    JsonNode root = json(compile("user-class"), "terraform/main.tf.json");
    assertThat(root.get("module").get("platform").get("repository_id").asText()).isEqualTo("custom-images");
    assertThat(block(module("platform"), "google_artifact_registry_repository", "this")).contains("format        = \"DOCKER\"");
    assertThat(json(compile("user-class"), "terraform/outputs.tf.json").get("output").get("image_repository").get("value").asText())
        .isEqualTo("${module.platform.repository_url}");
  }

  /** Evaluates the ledger conditions the modules write, for the database "catalog-ledger". */
  @Test
  void theLedgerConditionsMatchTheDatabaseExactly() throws Exception {
    for (String m : List.of("step-function", "step-job", "workflow")) {
      String expr = condition(block(module(m), "google_project_iam_member", "ledger"))
          .replace("${var.project}", "p").replace("${var.ledger_database}", "catalog-ledger");
      assertThat(matches(expr, "projects/p/databases/catalog-ledger")).as(m + ": " + expr).isTrue();
      assertThat(matches(expr, "projects/p/databases/catalog-ledger/documents/ledger/x")).as(m + ": " + expr).isTrue();
      assertThat(matches(expr, "projects/p/databases/catalog-ledger2")).as(m + ": " + expr).isFalse();
      assertThat(matches(expr, "projects/p/databases/catalog-ledger2/documents/ledger/x")).as(m + ": " + expr).isFalse();
    }
  }

  static String condition(String block) {
    Matcher m = Pattern.compile("expression\\s*=\\s*\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(block);
    assertThat(m.find()).as(block).isTrue();
    return m.group(1).replace("\\\"", "\"");
  }

  /** A disjunction of {@code resource.name == "x"} and {@code resource.name.startsWith("x")}. */
  static boolean matches(String expr, String name) {
    boolean any = false;
    for (String clause : expr.split("\\|\\|")) {
      Matcher eq = Pattern.compile("^\\s*resource\\.name\\s*==\\s*\"([^\"]*)\"\\s*$").matcher(clause);
      Matcher sw = Pattern.compile("^\\s*resource\\.name\\.startsWith\\(\"([^\"]*)\"\\)\\s*$").matcher(clause);
      if (eq.matches()) any |= name.equals(eq.group(1));
      else if (sw.matches()) any |= name.startsWith(sw.group(1));
      else throw new AssertionError("cannot evaluate clause: " + clause);
    }
    return any;
  }

  /**
   * Workflows does not evaluate resource.name conditions, so a conditioned workflows.invoker grant
   * is a 403 for the scheduler: the grant is unconditional, to the scheduler's own account.
   */
  @Test
  void theSchedulerMayStartTheBatchWorkflow() throws Exception {
    String wf = module("workflow");
    String grant = block(wf, "google_project_iam_member", "scheduler");
    assertThat(grant).contains("roles/workflows.invoker").doesNotContain("condition").contains("google_service_account.scheduler[0].email");
    assertThat(block(wf, "google_cloud_scheduler_job", "this")).contains("service_account_email = google_service_account.scheduler[0].email");
    JsonNode batch = json(compile("gpu-batch"), "terraform/main.tf.json").get("module").get("workflow_batch_separate");
    assertThat(batch.get("scheduler_service_account_id").asText()).isEqualTo("wgs-stems-separate");
  }

  @Test
  void theWorkflowMayRunTheJobAsItsAccountAndWaitForIt() throws Exception {
    String wf = module("workflow");
    assertThat(block(wf, "google_cloud_run_v2_job_iam_member", "run")).contains("\"roles/run.developer\"");
    assertThat(block(wf, "google_project_iam_member", "run_operations")).contains("\"roles/run.viewer\"");
    assertThat(block(wf, "google_service_account_iam_member", "act_as_job")).contains("\"roles/iam.serviceAccountUser\"")
        .contains("each.value.service_account_email");
    JsonNode jobs = json(compile("gpu-batch"), "terraform/main.tf.json").get("module").get("workflow_batch_separate").get("run_jobs");
    assertThat(jobs.get("separate").get("service_account_email").asText()).isEqualTo("${module.step_separate.service_account_email}");
  }

  @Test
  void theJobImageIsRequiredAndValidatedNeverEmpty() throws Exception {
    JsonNode image = json(compile("user-class"), "terraform/variables.tf.json").get("variable").get("job_image");
    assertThat(image.has("default")).as("job_image has no default").isFalse();
    assertThat(image.get("validation").get(0).get("condition").asText()).contains(TerraformRoot.IMAGE_REGEX);
    Pattern p = Pattern.compile(TerraformRoot.IMAGE_REGEX);
    assertThat(p.matcher("").matches()).isFalse();
    assertThat(p.matcher("europe-west1-docker.pkg.dev/my-project/custom-images/wavegraph-job").matches()).as("no tag").isFalse();
    assertThat(p.matcher("europe-west1-docker.pkg.dev/my-project/custom-images/wavegraph-job:abc123").matches()).isTrue();
    assertThat(json(compile("gpu-batch"), "terraform/variables.tf.json").get("variable").has("job_image"))
        .as("a graph whose jobs all name their image asks for no job image").isFalse();
    assertThat(Files.readString(MODULES.resolve("step-job/variables.tf"))).contains("validation {");
  }

  @Test
  void theStateLivesInCloudStorageUnlessLocalStateIsAskedFor() throws Exception {
    JsonNode backend = json(compile("chain"), "terraform/backend.tf.json").get("terraform").get("backend");
    assertThat(backend.get("gcs").get("prefix").asText()).isEqualTo("wavegraph/chain");
    assertThat(backend.get("gcs").has("bucket")).as("backends cannot read variables: deploy.sh passes the bucket").isFalse();
    var g = new GraphParser(StepFactory.fromClassPath(getClass().getClassLoader()))
        .parse(Files.readString(GraphCompilerGoldenTest.RESOURCES.resolve("graphs/chain.yaml")), "chain.yaml", null);
    Map<String, String> local = new GraphCompiler(true).compile(g).files();
    assertThat(local).doesNotContainKey("terraform/backend.tf.json");
    assertThat(local.values()).noneMatch(text -> text.contains("\"backend\""));
  }

  @Test
  void pubSubMayMintThePushTokensInOldProjects() throws Exception {
    assertThat(block(module("step-function"), "google_service_account_iam_member", "pubsub_token_creator"))
        .contains("\"roles/iam.serviceAccountTokenCreator\"").contains("member             = local.pubsub_agent")
        .contains("google_service_account.this.name");
  }

  /**
   * Real Terraform reads the whole configuration before it looks for the provider: with no provider
   * reachable, the only error left must be the provider download. This is what caught "${string}".
   */
  @Test
  void terraformInitFindsNoConfigurationError(@TempDir Path tmp) throws Exception {
    if (!terraformRuns()) {
      System.out.println("*** SKIPPED: terraform init check: no terraform binary on the PATH ***");
      Assumptions.abort("no terraform");
    }
    Path mirror = Files.createDirectories(tmp.resolve("empty-mirror"));
    Path cli = tmp.resolve("cli.tfrc");
    Files.writeString(cli, "provider_installation {\n  filesystem_mirror {\n    path = \"" + mirror + "\"\n  }\n}\n");
    List<String> graphs = new ArrayList<>(GraphCompilerGoldenTest.GRAPHS);
    graphs.add("example");
    for (String g : graphs) {
      Map<String, String> files = g.equals("example") ? compileExample() : compile(g);
      Path out = tmp.resolve(g);
      for (var f : files.entrySet()) {
        Path p = out.resolve(f.getKey());
        Files.createDirectories(p.getParent());
        Files.writeString(p, f.getValue());
      }
      ProcessBuilder pb = new ProcessBuilder("terraform", "-chdir=" + out.resolve("terraform"), "init", "-backend=false", "-input=false", "-no-color")
          .redirectErrorStream(true);
      pb.environment().put("TF_CLI_CONFIG_FILE", cli.toString());
      pb.environment().put("TF_DATA_DIR", tmp.resolve(g + "-tfdata").toString());
      Process p = pb.start();
      String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
      List<String> errors = log.lines().filter(l -> l.contains("Error: ")).toList();
      assertThat(errors).as(g + ":\n" + log).allMatch(l -> l.contains("Failed to query available provider packages"));
    }
  }

  static boolean terraformRuns() {
    try {
      Process p = new ProcessBuilder("terraform", "version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (java.io.IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
