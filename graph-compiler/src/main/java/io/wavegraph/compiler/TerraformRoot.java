package io.wavegraph.compiler;

import static io.wavegraph.compiler.CloudNames.tfId;
import static io.wavegraph.compiler.WorkflowSources.obj;
import static io.wavegraph.compiler.WorkflowSources.strings;

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
  /** Cloud Run's most task retries we pass on. */
  static final int MAX_JOB_RETRIES = 10;

  private final Graph graph;
  private final CloudNames names;
  private final Buckets buckets;

  TerraformRoot(Graph graph, CloudNames names, Buckets buckets) {
    this.graph = graph;
    this.names = names;
    this.buckets = buckets;
  }

  ObjectNode versions() {
    ObjectNode google = obj("source", "hashicorp/google", "version", PROVIDER_RANGE);
    ObjectNode tf = obj("required_version", ">= 1.5.0", "required_providers", obj("google", google));
    ObjectNode root = obj("terraform", tf);
    root.set("provider", obj("google", obj("project", "${var.project}", "region", "${var.region}")));
    return root;
  }

  ObjectNode variables() {
    ObjectNode v = Emit.object();
    v.set("project", variable("string", "The Google Cloud project to deploy into.", graph.gcp().project()));
    v.set("region", variable("string", "The region of every regional resource.", graph.gcp().region()));
    v.set("function_source_bucket", variable("string", "The bucket holding the functions' source archive (scripts/deploy.sh uploads it).", null));
    v.set("function_source_object", variable("string", "The source archive's object name; name it by its content hash so an unchanged archive does not redeploy.", null));
    v.set("function_entry_point", variable("string", "The Java class every step function runs; it reads the step's WAVEGRAPH_CONFIG.", "io.wavegraph.functions.StepFunction"));
    v.set("function_runtime", variable("string", "The Cloud Run functions runtime.", "java17"));
    v.set("job_image", variable("string", "The Wavegraph job runtime image, used by job steps given by 'class' without an 'image'.", ""));
    v.set("deletion_protection", obj("type", "${bool}", "description", "Protect the ledger database and the workflows from deletion.", "default", true));
    return obj("variable", v);
  }

  ObjectNode main() {
    ObjectNode modules = Emit.object();
    modules.set("ledger", obj("source", MODULES + "ledger", "project", "${var.project}", "name", names.ledgerDatabase(),
        "location", "${var.region}", "collection", FunctionConfigs.LEDGER_COLLECTION, "deletion_protection", "${var.deletion_protection}"));
    for (StepSpec s : graph.steps()) {
      modules.set("topic_" + tfId(s.name()), obj("source", MODULES + "topic", "project", "${var.project}",
          "name", names.topic(s.name()), "dead_letter_name", names.deadLetterTopic(s.name())));
    }
    ArrayNode rootTopics = Emit.array();
    graph.roots().forEach(r -> rootTopics.add(topicId(r)));
    modules.set("input_bucket", obj("source", MODULES + "bucket-trigger", "project", "${var.project}", "name", buckets.input(),
        "location", "${var.region}", "topic_ids", rootTopics, "object_name_prefix", buckets.inputPrefix()));
    modules.set("output_bucket", obj("source", MODULES + "bucket-trigger", "project", "${var.project}", "name", buckets.output(),
        "location", "${var.region}", "topic_ids", Emit.array(), "object_name_prefix", buckets.outputPrefix()));
    for (StepSpec s : graph.steps()) {
      modules.set("step_" + tfId(s.name()), s.kind() == StepKind.JOB ? job(s) : function(s));
    }
    modules.set("workflow_reprocess", workflow(names.reprocessWorkflow(), "reprocess", "Requests steps for items in dependency order and waits for the ledger.",
        allTopics(), Emit.array(), Emit.array(), List.of(access("${module.input_bucket.name}", buckets.inputPrefix())), List.of(), null));
    modules.set("workflow_backfill", workflow(names.backfillWorkflow(), "backfill", "Sends every item under a prefix through the graph, in resumable batches.",
        rootTopicIds(), Emit.array(), Emit.array(), List.of(access("${module.input_bucket.name}", buckets.inputPrefix())), List.of(), null));
    for (StepSpec s : graph.steps()) {
      if (s.kind() != StepKind.JOB) continue;
      long every = Math.max(1, (s.batch() == null ? 300 : s.batch().maxWait().toSeconds()) / 60);
      String cron = every >= 60 ? "0 */" + Math.max(1, every / 60) + " * * *" : "*/" + every + " * * * *";
      modules.set("workflow_batch_" + tfId(s.name()), workflow(names.batchWorkflow(s.name()), "batch-" + s.name(),
          "Runs the " + s.name() + " job on a manifest of the requests waiting for it.",
          // Nothing to publish: the job passes its results on itself.
          Emit.array(), strings(List.of("${module.step_" + tfId(s.name()) + ".subscription_id}")),
          strings(List.of("${module.step_" + tfId(s.name()) + ".job_name}")), List.of(),
          List.of(access("${module.output_bucket.name}", manifests(s))), cron));
    }
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
    return obj("output", o);
  }

  private ObjectNode function(StepSpec s) {
    ObjectNode m = common(s, "step-function");
    m.put("entry_point", "${var.function_entry_point}");
    m.put("runtime", "${var.function_runtime}");
    m.put("source_bucket", "${var.function_source_bucket}");
    m.put("source_object", "${var.function_source_object}");
    m.put("memory", s.memory());
    m.put("timeout_seconds", s.timeout().toSeconds());
    m.put("max_instances", s.maxInstances() == null ? 100 : s.maxInstances());
    return m;
  }

  private ObjectNode job(StepSpec s) {
    ObjectNode m = common(s, "step-job");
    m.put("image", s.image() != null ? s.image() : "${var.job_image}");
    boolean gpu = s.gpu() != null;
    String memory = gpu && mebibytes(s.memory()) < mebibytes(GPU_MEMORY) ? GPU_MEMORY : s.memory();
    m.put("gpu", gpu ? s.gpu() : "");
    m.put("cpu", cpu(memory, gpu));
    m.put("memory", memory);
    m.put("timeout_seconds", s.timeout().toSeconds());
    m.put("max_retries", Math.min(s.retries(), MAX_JOB_RETRIES));
    // Every task of a batch runs at once: a batch is already bounded by batch.size.
    int tasks = (s.batch() != null ? s.batch() : WorkflowSources.DEFAULT_BATCH).tasks();
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
    m.set("environment", obj("WAVEGRAPH_CONFIG", "${file(\"${path.module}/../functions/" + s.name() + ".json\")}"));
    // Least privilege: read only the parents' outputs (or the input for a root), write only under
    // its own output prefix, publish only to its neighbours (children for top-down, parents for
    // bottom-up requests) and its own dead-letter topic.
    ArrayNode read = Emit.array();
    if (s.isRoot()) read.add(access("${module.input_bucket.name}", buckets.inputPrefix()));
    for (String p : s.from()) read.add(access("${module.output_bucket.name}", buckets.outputPrefix() + p + "/"));
    // A job reads the manifests its workflow writes for it.
    if (s.kind() == StepKind.JOB) read.add(access("${module.output_bucket.name}", manifests(s)));
    m.set("read_access", read);
    m.set("write_access", access("${module.output_bucket.name}", buckets.outputPrefix() + s.name() + "/"));
    ArrayNode publish = Emit.array();
    List<String> neighbours = new ArrayList<>(graph.children(s.name()));
    neighbours.addAll(s.from());
    neighbours.forEach(n -> publish.add(topicId(n)));
    publish.add("${module.topic_" + tfId(s.name()) + ".dead_letter_id}");
    m.set("publish_topic_ids", publish);
    m.put("ledger_database", "${module.ledger.name}");
    return m;
  }

  private ObjectNode workflow(String name, String saSuffix, String description, ArrayNode publish, ArrayNode subscriptions,
      ArrayNode jobs, List<ObjectNode> read, List<ObjectNode> write, String schedule) {
    ObjectNode m = obj("source", MODULES + "workflow", "project", "${var.project}", "region", "${var.region}",
        "name", name, "description", description, "service_account_id", names.workflowServiceAccount(saSuffix),
        "source_contents", "${file(\"${path.module}/../workflows/" + name + ".yaml\")}",
        "publish_topic_ids", publish, "subscription_ids", subscriptions, "run_job_names", jobs,
        "ledger_database", "${module.ledger.name}", "deletion_protection", "${var.deletion_protection}");
    ArrayNode r = Emit.array();
    read.forEach(r::add);
    m.set("read_access", r);
    ArrayNode w = Emit.array();
    write.forEach(w::add);
    m.set("write_access", w);
    if (schedule != null) m.set("schedule", obj("cron", schedule, "argument", "{}"));
    else m.putNull("schedule");
    return m;
  }

  private ArrayNode allTopics() {
    ArrayNode a = Emit.array();
    graph.steps().forEach(s -> a.add(topicId(s.name())));
    return a;
  }

  private ArrayNode rootTopicIds() {
    ArrayNode a = Emit.array();
    graph.roots().forEach(r -> a.add(topicId(r)));
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
    ObjectNode v = obj("type", "${" + type + "}", "description", description);
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
