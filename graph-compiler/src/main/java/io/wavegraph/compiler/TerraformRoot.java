package io.wavegraph.compiler;

import static io.wavegraph.compiler.CloudNames.tfId;
import static io.wavegraph.compiler.WorkflowSources.obj;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wavegraph.compiler.WorkflowSources.Buckets;
import io.wavegraph.core.graph.Graph;
import io.wavegraph.core.graph.StepKind;
import io.wavegraph.core.graph.StepSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * The generated root module, in Terraform JSON syntax, built as data. It only calls the
 * repository's modules (copied beside it under {@code modules/}); every name comes from
 * {@link CloudNames}; the workflows and step configurations are read from the files the compiler
 * writes beside it ({@code ../workflows}, {@code ../functions}).
 */
final class TerraformRoot {
  static final String PROVIDER_RANGE = ">= 6.50.0, < 7.0.0";
  static final String MODULES = "./modules/";
  /** Cloud Run's minimum for an L4 GPU. */
  static final String GPU_CPU = "4";
  static final String GPU_MEMORY = "16Gi";
  /** A batch step's admission reads a few ledger records and object stats per request. */
  static final String ADMISSION_MEMORY = "512Mi";
  static final int ADMISSION_TIMEOUT_SECONDS = 60;
  /** A container image with a tag or digest (what the graph parser accepts for 'image', tag required). */
  static final String IMAGE_REGEX = "^[a-z0-9.-]+(:[0-9]+)?(/[a-z0-9._-]+)+(:[A-Za-z0-9._-]{1,128}|@sha256:[0-9a-f]{64})$";
  /** Cloud Run's most task retries we pass on. */
  static final int MAX_JOB_RETRIES = 10;

  /**
   * The APIs every compiled graph uses (each module's resources), enabled by {@code modules/platform}
   * before anything else. Eventarc is not among them: buckets notify Pub/Sub directly. Cloud Resource Manager answers the
   * modules' {@code google_project} data sources.
   */
  static final List<String> SERVICES = List.of("artifactregistry.googleapis.com", "cloudbuild.googleapis.com",
      "cloudfunctions.googleapis.com", "cloudresourcemanager.googleapis.com", "cloudscheduler.googleapis.com", "firestore.googleapis.com", "iam.googleapis.com",
      "logging.googleapis.com", "pubsub.googleapis.com", "run.googleapis.com", "storage.googleapis.com",
      "workflowexecutions.googleapis.com", "workflows.googleapis.com");
  /** The object prefix of the state in the backend bucket: {@code wavegraph/<graph>}. */
  static final String STATE_PREFIX = "wavegraph/";
  /** Reads of a step and of a workflow are keyed by these names, known at plan time. */
  static final String DEAD_LETTER_KEY = "_dead_letter";

  private final Graph graph;
  private final CloudNames names;
  private final Buckets buckets;
  private final boolean localState;

  TerraformRoot(Graph graph, CloudNames names, Buckets buckets, boolean localState) {
    this.graph = graph;
    this.names = names;
    this.buckets = buckets;
    this.localState = localState;
  }

  /** Whether a job step runs the Wavegraph job image (a 'class' job without 'image'). */
  private boolean usesJobImage() {
    return graph.steps().stream().anyMatch(s -> s.kind() == StepKind.JOB && s.image() == null);
  }

  ObjectNode versions() {
    ObjectNode google = obj("source", "hashicorp/google", "version", PROVIDER_RANGE);
    ObjectNode tf = obj("required_version", ">= 1.5.0", "required_providers", obj("google", google));

    ObjectNode root = obj("terraform", tf);
    root.set("provider", obj("google", obj("project", "${var.project}", "region", "${var.region}")));
    return root;
  }

  /**
   * The state backend, in a file of its own ({@code backend.tf.json}) so that an offline check can
   * leave it out of its copy; null with local state. Backends cannot read variables: a partial
   * configuration, whose bucket scripts/deploy.sh passes with {@code -backend-config=bucket=...}.
   */
  ObjectNode backend() {
    if (localState) return null;
    return obj("terraform", obj("backend", obj("gcs", obj("prefix", STATE_PREFIX + graph.name()))));
  }

  ObjectNode variables() {
    ObjectNode v = Emit.object();
    v.set("project", variable("string", "The Google Cloud project to deploy into.", graph.gcp().project()));
    v.set("region", variable("string", "The region of every regional resource.", graph.gcp().region()));
    v.set("function_source_bucket", variable("string", "The bucket holding the functions' source archive (scripts/deploy.sh uploads it).", null));
    v.set("function_source_object", variable("string", "The source archive's object name; name it by its content hash so an unchanged archive does not redeploy.", null));
    v.set("function_entry_point", variable("string", "The Java class every step function runs; it reads the step's WAVEGRAPH_CONFIG.", "io.wavegraph.functions.StepFunction"));
    v.set("function_runtime", variable("string", "The Cloud Run functions runtime.", "java17"));
    if (usesJobImage()) {
      // Required: an empty image would only fail at apply. scripts/deploy.sh pushes it to the
      // graph's repository (output job_repository) and sets it.
      ObjectNode image = variable("string", "The Wavegraph job runtime image, for job steps given by 'class' without an 'image': "
          + "<region>-docker.pkg.dev/<project>/" + names.imageRepository() + "/wavegraph-job:<tag> (scripts/deploy.sh builds, pushes and sets it).", null);
      image.set("validation", Emit.array().add(obj("condition", "${can(regex(\"" + IMAGE_REGEX + "\", var.job_image))}",
          "error_message", "job_image must name a container image with a tag or digest, like europe-west1-docker.pkg.dev/my-project/"
              + names.imageRepository() + "/wavegraph-job:1.")));
      v.set("job_image", image);
    }
    v.set("deletion_protection", variable("bool", "Protect the ledger database and the workflows from deletion.", null).put("default", true));
    return obj("variable", v);
  }

  ObjectNode main() {
    ObjectNode modules = Emit.object();
    ArrayNode services = Emit.array();
    SERVICES.forEach(services::add);
    modules.set("platform", obj("source", MODULES + "platform", "project", "${var.project}", "region", "${var.region}",
        "services", services, "build_service_account_id", names.buildServiceAccount(),
        "source_bucket", "${var.function_source_bucket}", "repository_id", names.imageRepository()));
    modules.set("ledger", obj("source", MODULES + "ledger", "project", "${var.project}", "name", names.ledgerDatabase(),
        "location", "${var.region}", "collection", FunctionConfigs.LEDGER_COLLECTION, "deletion_protection", "${var.deletion_protection}"));
    for (StepSpec s : graph.steps()) {
      modules.set("topic_" + tfId(s.name()), obj("source", MODULES + "topic", "project", "${var.project}",
          "name", names.topic(s.name()), "dead_letter_name", names.deadLetterTopic(s.name())));
      if (s.kind() == StepKind.JOB) {
        modules.set("topic_" + tfId(s.name()) + "_admitted", obj("source", MODULES + "topic", "project", "${var.project}",
            "name", names.admittedTopic(s.name()), "dead_letter_name", names.admittedTopic(s.name()) + "-dead-letter"));
      }
    }
    modules.set("input_bucket", obj("source", MODULES + "bucket-trigger", "project", "${var.project}", "name", buckets.input(),
        "location", "${var.region}", "topics", rootTopicIds(), "object_name_prefix", buckets.inputPrefix()));
    modules.set("output_bucket", obj("source", MODULES + "bucket-trigger", "project", "${var.project}", "name", buckets.output(),
        "location", "${var.region}", "topics", Emit.object(), "object_name_prefix", buckets.outputPrefix()));
    for (StepSpec s : graph.steps()) {
      modules.set("step_" + tfId(s.name()), s.kind() == StepKind.JOB ? job(s) : function(s));
      if (s.kind() == StepKind.JOB) modules.set("admit_" + tfId(s.name()), admission(s));
    }
    ObjectNode readInput = obj("input", access("${module.input_bucket.name}", buckets.inputPrefix()));
    modules.set("workflow_reprocess", workflow(names.reprocessWorkflow(), "reprocess", "Requests steps for items in dependency order and waits for the ledger.",
        allTopics(), Emit.object(), Emit.object(), readInput, Emit.object(), null));
    modules.set("workflow_backfill", workflow(names.backfillWorkflow(), "backfill", "Sends every item under a prefix through the graph, in resumable batches.",
        rootTopicIds(), Emit.object(), Emit.object(), readInput.deepCopy(), Emit.object(), null));
    for (StepSpec s : graph.steps()) {
      if (s.kind() != StepKind.JOB) continue;
      long every = Math.max(1, s.batchRule().maxWait().toSeconds() / 60);
      String cron = every >= 60 ? "0 */" + Math.max(1, every / 60) + " * * *" : "*/" + every + " * * * *";
      String step = "${module.step_" + tfId(s.name());
      ObjectNode workflow = workflow(names.batchWorkflow(s.name()), "batch-" + s.name(),
          "Runs the " + s.name() + " job on a manifest of the requests waiting for it.",
          // Nothing to publish: the job passes its results on itself.
          Emit.object(), obj(s.name(), step + ".subscription_id}"),
          obj(s.name(), obj("name", step + ".job_name}", "service_account_email", step + ".service_account_email}")),
          Emit.object(), obj("manifests", access("${module.output_bucket.name}", manifests(s))), cron);
      workflow.put("scheduler_service_account_id", names.schedulerServiceAccount(s.name()));
      modules.set("workflow_batch_" + tfId(s.name()), workflow);
    }
    // Every API is enabled before any resource that needs it.
    modules.fieldNames().forEachRemaining(n -> {
      if (!n.equals("platform")) ((ObjectNode) modules.get(n)).set("depends_on", Emit.array().add("module.platform"));
    });
    return obj("module", modules);
  }

  ObjectNode outputs() {
    ObjectNode o = Emit.object();
    o.set("input_bucket", output("Upload audio here to start the roots.", "${module.input_bucket.url}"));
    o.set("output_bucket", output("Every step's outputs, under <step>/.", "${module.output_bucket.url}"));
    o.set("ledger_database", output("The Firestore database of the ledger.", "${module.ledger.name}"));
    ObjectNode topics = Emit.object();
    graph.steps().forEach(s -> topics.put(s.name(), topicId(s.name())));
    o.set("topics", output("The topic of every step.", topics));
    ObjectNode sas = Emit.object();
    graph.steps().forEach(s -> sas.put(s.name(), "${module.step_" + tfId(s.name()) + ".service_account_email}"));
    o.set("step_service_accounts", output("The service account of every step.", sas));
    ObjectNode wfs = obj("reprocess", "${module.workflow_reprocess.name}", "backfill", "${module.workflow_backfill.name}");
    graph.steps().stream().filter(s -> s.kind() == StepKind.JOB)
        .forEach(s -> wfs.put("batch-" + s.name(), "${module.workflow_batch_" + tfId(s.name()) + ".name}"));
    o.set("workflows", output("The workflows: reprocess, backfill, and one per batch step.", wfs));
    o.set("image_repository", output("Where scripts/deploy.sh pushes the job images: <region>-docker.pkg.dev/<project>/<repository>.",
        "${module.platform.repository_url}"));
    o.set("build_service_account", output("The account the functions' builds run as.", "${module.platform.build_service_account_id}"));
    return obj("output", o);
  }

  private ObjectNode function(StepSpec s) {
    ObjectNode m = common(s, "step-function");
    functionSource(m);
    StepSizing.Size size = StepSizing.of(s);
    m.put("memory", size.memory());
    m.put("cpu", size.cpu());
    m.put("concurrency", size.concurrency());
    m.put("timeout_seconds", s.timeout().toSeconds());
    m.put("max_instances", s.maxInstances() == null ? 100 : s.maxInstances());
    return m;
  }

  /** The one archive every function is built from, by the graph's own build account. */
  private static void functionSource(ObjectNode m) {
    m.put("entry_point", "${var.function_entry_point}");
    m.put("runtime", "${var.function_runtime}");
    m.put("source_bucket", "${var.function_source_bucket}");
    m.put("source_object", "${var.function_source_object}");
    m.put("build_service_account", "${module.platform.build_service_account_id}");
    m.put("docker_repository", "${module.platform.repository_id}");
  }

  /**
   * A batch step's admission: a function on the step's topic (push, like any step function) that
   * settles what needs no run and forwards the rest to the admitted topic its job's subscription
   * reads (BatchAdmission; ADR 0010). It reads what the step's freshness needs: its inputs and its
   * own outputs.
   */
  private ObjectNode admission(StepSpec s) {
    ObjectNode m = common(s, "step-function");
    m.put("name", names.admissionFunction(s.name()));
    m.put("service_account_id", names.admissionServiceAccount(s.name()));
    functionSource(m);
    m.put("memory", ADMISSION_MEMORY);
    m.put("timeout_seconds", ADMISSION_TIMEOUT_SECONDS);
    m.put("max_instances", s.maxInstances() == null ? 100 : s.maxInstances());
    // It reads what freshness needs (inputs and outputs' stats), not the job's manifests.
    ((ObjectNode) m.get("read_access")).remove("manifests");
    ((ObjectNode) m.get("publish_topics")).put("_admitted", "${module.topic_" + tfId(s.name()) + "_admitted.id}");
    return m;
  }

  private ObjectNode job(StepSpec s) {
    ObjectNode m = common(s, "step-job");
    // The job's requests are the admitted ones, not the step's topic (that one feeds the admission).
    m.put("topic_id", "${module.topic_" + tfId(s.name()) + "_admitted.id}");
    m.put("subscription_name", names.admittedSubscription(s.name()));
    m.put("image", s.image() != null ? s.image() : "${var.job_image}");
    boolean gpu = s.gpu() != null;
    String memory = gpu && mebibytes(s.memory()) < mebibytes(GPU_MEMORY) ? GPU_MEMORY : s.memory();
    m.put("gpu", gpu ? s.gpu() : "");
    m.put("cpu", cpu(memory, gpu));
    m.put("memory", memory);
    m.put("timeout_seconds", s.timeout().toSeconds());
    m.put("max_retries", Math.min(s.retries(), MAX_JOB_RETRIES));
    // Every task of a batch runs at once: a batch is already bounded by batch.size.
    int tasks = s.batchRule().tasks();
    m.put("task_count", tasks);
    m.put("parallelism", tasks);
    return m;
  }

  /**
   * vCPUs for a task: Cloud Run allows at most 4 GiB per vCPU below 4 vCPUs, and 16, 24, 32 GiB at
   * 4, 6, 8 vCPUs; an L4 needs at least 4.
   */
  static String cpu(String memory, boolean gpu) {
    long mib = mebibytes(memory);
    int[] steps = {1, 2, 4, 6, 8};
    long[] most = {4096, 8192, 16384, 24576, 32768};
    for (int i = 0; i < steps.length; i++) {
      if ((!gpu || steps[i] >= Integer.parseInt(GPU_CPU)) && mib <= most[i]) return String.valueOf(steps[i]);
    }
    return "8";
  }

  /** Pub/Sub's highest {@code max_delivery_attempts}; the same backstop as the embedded runtime's. */
  static final int BACKSTOP_DELIVERY_ATTEMPTS = io.wavegraph.core.pipeline.GraphRuntime.BACKSTOP_DELIVERY_ATTEMPTS;

  private ObjectNode common(StepSpec s, String module) {
    ObjectNode m = obj("source", MODULES + module, "project", "${var.project}", "region", "${var.region}",
        "name", names.runName(s.name()), "service_account_id", names.stepServiceAccount(s.name()),
        "topic_id", topicId(s.name()), "dead_letter_topic_id", "${module.topic_" + tfId(s.name()) + ".dead_letter_id}",
        "subscription_name", names.subscription(s.name()),
        // The pipeline counts the step's retries in the ledger and dead-letters itself; Pub/Sub's
        // own limit is a backstop, at its highest so that waiting on a busy claim never reaches it
        // (docs/adr/0008).
        "max_delivery_attempts", BACKSTOP_DELIVERY_ATTEMPTS);
    m.set("environment", obj(io.wavegraph.core.config.FunctionConfigSchema.CONFIG_ENV, "${file(\"${path.module}/../functions/" + s.name() + ".json\")}"));
    // Least privilege: read only the parents' outputs (or the input for a root), write only under
    // its own output prefix, publish only to its neighbours (children for top-down, parents for
    // bottom-up requests) and its own dead-letter topic.
    // Keyed by names known at plan time: for_each keys cannot wait for apply.
    ObjectNode read = Emit.object();
    if (s.isRoot()) read.set("input", access("${module.input_bucket.name}", buckets.inputPrefix()));
    for (String p : s.from()) read.set("from-" + p, access("${module.output_bucket.name}", buckets.outputPrefix() + p + "/"));
    // A job reads the manifests its workflow writes for it.
    if (s.kind() == StepKind.JOB) read.set("manifests", access("${module.output_bucket.name}", manifests(s)));
    m.set("read_access", read);
    m.set("write_access", access("${module.output_bucket.name}", buckets.outputPrefix() + s.name() + "/"));
    ObjectNode publish = Emit.object();
    List<String> neighbours = new ArrayList<>(graph.children(s.name()));
    neighbours.addAll(s.from());
    neighbours.forEach(n -> publish.put(n, topicId(n)));
    publish.put(DEAD_LETTER_KEY, "${module.topic_" + tfId(s.name()) + ".dead_letter_id}");
    m.set("publish_topics", publish);
    m.put("ledger_database", "${module.ledger.name}");
    return m;
  }

  private ObjectNode workflow(String name, String saSuffix, String description, ObjectNode publish, ObjectNode subscriptions,
      ObjectNode jobs, ObjectNode read, ObjectNode write, String schedule) {
    ObjectNode m = obj("source", MODULES + "workflow", "project", "${var.project}", "region", "${var.region}",
        "name", name, "description", description, "service_account_id", names.workflowServiceAccount(saSuffix),
        "source_contents", "${file(\"${path.module}/../workflows/" + name + ".yaml\")}",
        "publish_topics", publish, "subscriptions", subscriptions, "run_jobs", jobs,
        "ledger_database", "${module.ledger.name}", "deletion_protection", "${var.deletion_protection}");
    m.set("read_access", read);
    m.set("write_access", write);
    if (schedule != null) m.set("schedule", obj("cron", schedule, "argument", "{}"));
    else m.putNull("schedule");
    return m;
  }

  private ObjectNode allTopics() {
    ObjectNode a = Emit.object();
    graph.steps().forEach(s -> a.put(s.name(), topicId(s.name())));
    return a;
  }

  private ObjectNode rootTopicIds() {
    ObjectNode a = Emit.object();
    graph.roots().forEach(r -> a.put(r, topicId(r)));
    return a;
  }

  private String manifests(StepSpec s) {
    return buckets.outputPrefix() + WorkflowSources.MANIFESTS + s.name() + "/";
  }

  private static String topicId(String step) {
    return "${module.topic_" + tfId(step) + ".id}";
  }

  private static ObjectNode access(String bucket, String prefix) {
    return obj("bucket", bucket, "prefix", prefix);
  }

  private static ObjectNode variable(String type, String description, String dflt) {
    // A type in Terraform's JSON syntax is a plain string ("string"), not an interpolation.
    ObjectNode v = obj("type", type, "description", description);
    if (dflt != null) v.put("default", dflt);
    return v;
  }

  private static ObjectNode output(String description, Object value) {
    return obj("description", description, "value", value);
  }

  static long mebibytes(String memory) {
    long n = Long.parseLong(memory.substring(0, memory.length() - 2));
    return memory.endsWith("Gi") ? n * 1024 : n;
  }
}
