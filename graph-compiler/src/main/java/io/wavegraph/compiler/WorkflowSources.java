package io.wavegraph.compiler;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wavegraph.core.batch.BatchManifest;
import io.wavegraph.core.config.FunctionConfigSchema;
import io.wavegraph.core.envelope.Envelope;
import io.wavegraph.core.envelope.EnvelopeCodec;
import io.wavegraph.core.envelope.ItemIds;
import io.wavegraph.core.graph.Graph;
import io.wavegraph.core.graph.StepKind;
import io.wavegraph.core.graph.StepSpec;
import io.wavegraph.core.port.LedgerDocumentId;
import io.wavegraph.core.port.Message;
import java.util.List;

/**
 * The Cloud Workflows of a graph, built as data: {@code <graph>-reprocess}, {@code <graph>-backfill}
 * and one {@code <graph>-batch-<step>} per job step. They pass item ids and object names, never
 * audio, and fan out with {@code parallel for} under a concurrency limit (Workflows allows 20
 * concurrent branches per execution).
 */
final class WorkflowSources {
  /** Concurrent requests per execution; Workflows caps concurrent branches at 20. */
  static final int CONCURRENCY = 20;
  /** Seconds between two ledger reads while waiting. */
  static final int POLL_SECONDS = 10;
  /** Where the batch manifests live under the output prefix: {@code <MANIFESTS><step>/<batch>.json}. */
  static final String MANIFESTS = BatchManifest.PREFIX;
  static final String MANIFEST_SCHEMA = BatchManifest.SCHEMA;
  static final String MANIFEST_ENV = FunctionConfigSchema.MANIFEST_ENV;
  /** Pub/Sub's longest ack deadline: what held messages are extended to. */
  static final int ACK_DEADLINE_SECONDS = 600;
  /** The longest pause between two pulls while a batch gathers (at most batch.wait). */
  static final int GATHER_PAUSE_SECONDS = 30;
  /** Seconds between two deadline extensions while the job runs (well under the deadline). */
  static final int HOLD_PAUSE_SECONDS = 60;

  private final Graph graph;
  private final CloudNames names;
  private final Buckets buckets;
  private final java.util.function.Function<String, List<String>> outputs;

  /** @param outputs a step's declared outputs, primary first */
  WorkflowSources(Graph graph, CloudNames names, Buckets buckets, java.util.function.Function<String, List<String>> outputs) {
    this.graph = graph;
    this.names = names;
    this.buckets = buckets;
    this.outputs = outputs;
  }

  // --- reprocess ---------------------------------------------------------------------------

  /**
   * Arguments: {@code step} (a step or a list of them; default: the roots), {@code items} (ids) or
   * {@code prefix} (every input object under it), {@code force}, {@code ping}, {@code wait_seconds}.
   * Steps are requested in dependency order; each stage waits until the ledger shows every item done
   * or failed at that step (or the wait runs out) before the next. Returns counts and the failed ids.
   */
  ObjectNode reprocess() {
    ObjectNode doc = Emit.object();
    ArrayNode steps = Emit.array();
    steps.add(step("init", assign(
        kv("graph", graph.name()),
        kv("order", strings(graph.topologicalOrder())),
        kv("topics", topicMap()),
        kv("requested", "${default(map.get(args, \"step\"), " + json(graph.roots()) + ")}"),
        kv("force", "${default(map.get(args, \"force\"), false)}"),
        kv("ping", "${default(map.get(args, \"ping\"), false)}"),
        kv("wait_seconds", "${default(map.get(args, \"wait_seconds\"), 3600)}"),
        kv("items", "${default(map.get(args, \"items\"), [])}"),
        kv("summary", summary()),
        kv("failed_items", Emit.array()))));
    steps.add(step("one_step_as_list", switchOf(cond("${get_type(requested) == \"string\"}",
        stepsBody(step("wrap", assign(kv("requested", "${[requested]}"))))))));
    steps.add(step("check_steps", forIn("s", "${requested}", List.of(
        step("known", switchOf(condRaise("${not(s in order)}", "${\"unknown step '\" + s + \"'; steps: \" + json.encode_to_string(order)}")))))));
    steps.add(step("items_from_prefix", switchOf(cond("${map.get(args, \"prefix\") != null}", stepsBody(
        step("list", call("list_items", obj("prefix", "${args.prefix}", "page_token", null, "limit", 1000), "listed")),
        step("take", assign(kv("items", "${listed.items}"))))))));
    steps.add(step("stages", forIn("s", "${order}", List.of(
        step("requested_here", switchOf(condNext("${not(s in requested)}", "continue"))),
        step("send_and_wait", parallelFor("item", "${items}", List.of("summary", "failed_items"), List.of(
            step("one", call("request_and_wait", obj("topic", "${topics[s]}", "step", "${s}", "item", "${item}",
                "force", "${force}", "ping", "${ping}", "wait_seconds", "${wait_seconds}"), "state")),
            step("count", assign(
                kv("summary.requested", "${summary.requested + 1}"),
                kv("summary[state]", "${summary[state] + 1}"))),
            step("note_failure", switchOf(cond("${state == \"failed\" and len(failed_items) < 100}",
                stepsBody(step("add", assign(kv("failed_items", "${list.concat(failed_items, s + \":\" + item)}"))))))))))))));
    steps.add(step("finish", obj("return", obj("graph", "${graph}", "steps", "${requested}", "summary", "${summary}", "failed", "${failed_items}"))));
    doc.set("main", obj("params", strings(List.of("args")), "steps", steps));
    doc.set("request_and_wait", requestAndWait());
    doc.set("publish", publish());
    doc.set("wait_ledger", waitLedger());
    doc.set("list_items", listItems());
    doc.set(ITEM_OF_OBJECT, itemOfObject());
    return doc;
  }

  // --- backfill ----------------------------------------------------------------------------

  /**
   * Arguments: {@code prefix} (required), {@code batch_size} (default 100, at most 1000),
   * {@code page_token} (resume where an earlier execution stopped), {@code max_batches} (default
   * 20), {@code force}. Each batch is one page of the input listing: every item is sent to every
   * root, and the batch is done when the ledger shows every item done or failed at every leaf step.
   * Returns {@code next_page_token}: pass it back as {@code page_token} to go on.
   */
  ObjectNode backfill() {
    ObjectNode doc = Emit.object();
    ArrayNode steps = Emit.array();
    List<String> leaves = graph.steps().stream().map(StepSpec::name).filter(s -> graph.children(s).isEmpty()).toList();
    steps.add(step("init", assign(
        kv("roots", strings(graph.roots())),
        kv("leaves", strings(leaves)),
        kv("topics", topicMap()),
        kv("prefix", "${args.prefix}"),
        kv("batch_size", "${default(map.get(args, \"batch_size\"), 100)}"),
        kv("page_token", "${default(map.get(args, \"page_token\"), null)}"),
        kv("max_batches", "${default(map.get(args, \"max_batches\"), 20)}"),
        kv("force", "${default(map.get(args, \"force\"), false)}"),
        kv("batches", 0),
        kv("summary", summary()))));
    steps.add(step("check_size", switchOf(condRaise("${batch_size < 1 or batch_size > 1000}", "batch_size must be between 1 and 1000"))));
    steps.add(step("next_batch", call("list_items", obj("prefix", "${prefix}", "page_token", "${page_token}", "limit", "${batch_size}"), "listed")));
    steps.add(step("send", parallelFor("item", "${listed.items}", List.of(), List.of(
        step("to_roots", forIn("r", "${roots}", List.of(
            step("publish", call("publish", obj("topic", "${topics[r]}", "item", "${item}", "force", "${force}", "ping", false), null)))))))));
    steps.add(step("wait", parallelFor("item", "${listed.items}", List.of("summary"), List.of(
        step("at_leaves", forIn("l", "${leaves}", List.of(
            step("one", call("wait_ledger", obj("step", "${l}", "item", "${item}", "since", 0, "wait_seconds", 3600), "state")),
            step("count", assign(kv("summary[state]", "${summary[state] + 1}"))))))))));
    steps.add(step("advance", assign(
        kv("batches", "${batches + 1}"),
        kv("summary.requested", "${summary.requested + len(listed.items)}"),
        kv("page_token", "${listed.next_page_token}"))));
    steps.add(step("progress", callArgs("sys.log", obj("severity", "INFO", "json", obj("batches", "${batches}", "next_page_token", "${page_token}", "summary", "${summary}")), null)));
    steps.add(step("more", switchOf(condNext("${page_token != null and batches < max_batches}", "next_batch"))));
    steps.add(step("finish", obj("return", obj("batches", "${batches}", "summary", "${summary}", "next_page_token", "${page_token}"))));
    doc.set("main", obj("params", strings(List.of("args")), "steps", steps));
    doc.set("publish", publish());
    doc.set("wait_ledger", waitLedger());
    doc.set("list_items", listItems());
    doc.set(ITEM_OF_OBJECT, itemOfObject());
    return doc;
  }

  // --- batch step --------------------------------------------------------------------------

  /**
   * Runs on a schedule: gathers a batch from the pull subscription of the step's admitted requests
   * (what its admission function found needs a run, ADR 0010), runs the Cloud Run Job on
   * it, then settles every message by the ledger. Never loses a request and never runs one twice:
   *
   * <ol>
   *   <li>Pulls until {@code batch.size} distinct items are held or {@code batch.wait} has passed
   *       since the first message, extending the held messages' ack deadlines meanwhile; returns at
   *       once when the first pull brings nothing. Several messages for one item make one entry
   *       (the latest envelope, at the first one's place); a message that is not an envelope is
   *       nacked, so Pub/Sub dead-letters it after the subscription's delivery attempts.
   *   <li>Writes the manifest {@code gs://<output>/<prefix>_wavegraph/manifests/<step>/<execution>.json}
   *       (schema {@value #MANIFEST_SCHEMA}, see docs/function-config.md).
   *   <li>Runs the job with {@code WAVEGRAPH_MANIFEST} and {@code taskCount = min(batch.tasks,
   *       entries)}; a parallel branch keeps extending the held messages' deadlines until it ends.
   *       The job publishes its results to the children itself.
   *   <li>Whether the job succeeded or not: acknowledges the messages of every item whose ledger
   *       record is done or failed, and nacks (deadline 0) the rest, so Pub/Sub redelivers them to
   *       a later batch. A job error is raised after that.
   * </ol>
   *
   * Returns {@code {batch, items, acked, redelivered, manifest}}.
   */
  ObjectNode batch(StepSpec s) {
    StepSpec.Batch rule = s.batchRule();
    long waitSeconds = Math.max(1, rule.maxWait().toSeconds());
    // The admitted requests only: the step's admission function has settled the rest (ADR 0010).
    String subscription = "${\"projects/\" + project + \"/subscriptions/" + names.admittedSubscription(s.name()) + "\"}";
    ObjectNode doc = Emit.object();
    ArrayNode steps = Emit.array();
    // items[i] is an entry's item, envelopes[i] its latest envelope, ack_ids[i] the ack ids of all
    // its messages; held lists every ack id held, for the deadline extensions.
    steps.add(step("init", assign(
        kv("project", "${sys.get_env(\"GOOGLE_CLOUD_PROJECT_ID\")}"),
        kv("region", "${sys.get_env(\"GOOGLE_CLOUD_LOCATION\")}"),
        kv("batch", "${sys.get_env(\"GOOGLE_CLOUD_WORKFLOW_EXECUTION_ID\")}"),
        kv("subscription", subscription),
        kv("manifest_name", "${\"" + buckets.outputPrefix() + MANIFESTS + s.name() + "/\" + batch + \".json\"}"),
        kv("size", rule.size()),
        kv("items", Emit.array()),
        kv("envelopes", Emit.array()),
        kv("ack_ids", Emit.array()),
        kv("positions", Emit.object()),
        kv("held", Emit.array()),
        kv("deadline", null),
        kv("job_done", false),
        kv("job_error", null),
        kv("to_ack", Emit.array()),
        kv("to_nack", Emit.array()),
        kv("acked", 0),
        kv("redelivered", 0))));
    // 1. gather
    steps.add(step("want", assign(kv("wanted", "${size - len(items)}"))));
    steps.add(step("pull", callArgs("googleapis.pubsub.v1.projects.subscriptions.pull", obj(
        "subscription", "${subscription}", "body", obj("maxMessages", "${wanted}")), "pulled")));
    steps.add(step("received", assign(kv("received", "${default(map.get(pulled, \"receivedMessages\"), [])}"))));
    steps.add(step("nothing_came", switchOf(condReturn("${deadline == null and len(received) == 0}",
        obj("batch", "${batch}", "items", 0, "acked", 0, "redelivered", 0, "manifest", null)))));
    steps.add(step("start_clock", switchOf(cond("${deadline == null}",
        stepsBody(step("first_pull", assign(kv("deadline", "${sys.now() + " + waitSeconds + "}"))))))));
    // The admitted topic carries only envelopes the admission wrote (storage notifications of a
    // root's uploads were turned into requests there, with the roots' item ids).
    List<ObjectNode> decode = List.of(
        step("parse", assign(kv("envelope", "${json.decode(base64.decode(m.message.data))}"))),
        step("item_of", assign(kv("item", "${map.get(envelope, \"item\")}"))),
        step("has_item", switchOf(condRaise("${get_type(item) != \"string\" or item == \"\"}", "a request without an item"))));
    steps.add(step("take", forIn("m", "${received}", List.of(
        step("accept", assign(kv("valid", true))),
        step("decode", obj("try", stepsBody(decode.toArray(ObjectNode[]::new)),
            "except", obj("as", "e", "steps", Emit.array()
                .add(step("refuse", obj("try", callArgs("googleapis.pubsub.v1.projects.subscriptions.modifyAckDeadline", obj(
                        "subscription", "${subscription}", "body", obj("ackIds", "${[m.ackId]}", "ackDeadlineSeconds", 0)), null),
                    "except", obj("as", "nack_error", "steps", Emit.array().add(step("ignored", callArgs("sys.log",
                        obj("severity", "WARNING", "text", "${\"could not nack a message that is not a request: \" + json.encode_to_string(nack_error)}"), null)))))))
                .add(step("invalid", assign(kv("valid", false))))))),
        step("skip_invalid", switchOf(condNext("${not(valid)}", "continue"))),
        step("held_now", assign(kv("held", "${list.concat(held, m.ackId)}"))),
        step("add_or_replace", switchOf(
            cond("${item in positions}", stepsBody(step("replace", assign(
                kv("position", "${positions[item]}"),
                kv("envelopes[position]", "${envelope}"),
                kv("ack_ids[position]", "${list.concat(ack_ids[position], m.ackId)}"))))),
            otherwise(stepsBody(step("add", assign(
                kv("positions[item]", "${len(items)}"),
                kv("items", "${list.concat(items, item)}"),
                kv("envelopes", "${list.concat(envelopes, envelope)}"),
                kv("ack_ids", "${list.concat(ack_ids, [m.ackId])}")))))))))));
    steps.add(step("enough", switchOf(
        condNext("${len(items) >= size or sys.now() >= deadline}", "gathered"),
        // A full pull: more may be waiting, pull again at once.
        condNext("${len(received) >= wanted}", "want"))));
    steps.add(step("keep_gathered", call("extend", obj("subscription", "${subscription}", "ack_ids", "${held}"), null)));
    steps.add(step("pause", obj("call", "sys.sleep", "args", obj("seconds", Math.min(GATHER_PAUSE_SECONDS, waitSeconds)), "next", "want")));
    steps.add(step("gathered", switchOf(condReturn("${len(items) == 0}",
        obj("batch", "${batch}", "items", 0, "acked", 0, "redelivered", 0, "manifest", null)))));
    // 2. the manifest
    steps.add(step("entries", assign(kv("entries", Emit.array()))));
    steps.add(step("each_entry", forRange("i", "${[0, len(items) - 1]}", List.of(
        step("entry", assign(
            kv("entry", obj("item", "${items[i]}", "inputs", inputs(s), "envelope", "${envelopes[i]}")),
            kv("entries", "${list.concat(entries, entry)}")))))));
    steps.add(step("write_manifest", callArgs("googleapis.storage.v1.objects.insert", obj(
        "bucket", buckets.output(), "uploadType", "media", "name", "${manifest_name}",
        "body", obj("schema", MANIFEST_SCHEMA, "graph", graph.name(), "step", s.name(), "batch", "${batch}", "entries", "${entries}")), null)));
    // 3. the job, while a second branch keeps the messages held
    ObjectNode env = obj("name", MANIFEST_ENV, "value", "${\"gs://" + buckets.output() + "/\" + manifest_name}");
    ObjectNode run = callArgs("googleapis.run.v2.projects.locations.jobs.run", obj(
        "name", "${\"projects/\" + project + \"/locations/\" + region + \"/jobs/" + names.runName(s.name()) + "\"}",
        "body", obj("overrides", obj(
            "containerOverrides", Emit.array().add(obj("env", Emit.array().add(env))),
            // One task per entry at most: a task without entries would start (and, with a GPU, bill) for nothing.
            "taskCount", rule.tasks() == 1 ? (Object) 1 : "${if(len(items) < " + rule.tasks() + ", len(items), " + rule.tasks() + ")}")),
        "connector_params", obj("timeout", jobTimeoutSeconds(s))), "execution");
    ArrayNode jobBranch = Emit.array()
        .add(step("run_job", obj("try", run, "except", obj("as", "e", "steps", Emit.array()
            .add(step("keep_error", assign(kv("job_error", "${e}"))))))))
        .add(step("job_finished", assign(kv("job_done", true))));
    ArrayNode holdBranch = Emit.array()
        .add(step("keep_held", switchOf(cond("${not(job_done)}", stepsBody(
                step("extend_held", call("extend", obj("subscription", "${subscription}", "ack_ids", "${held}"), null)),
                step("wait_for_job", callArgs("sys.sleep", obj("seconds", HOLD_PAUSE_SECONDS), null))))
            .put("next", "keep_held"))));
    steps.add(step("run", obj("parallel", obj("shared", strings(List.of("job_done", "job_error")), "branches", Emit.array()
        .add(step("job", obj("steps", jobBranch)))
        .add(step("keep_messages", obj("steps", holdBranch)))))));
    // 4. settle each entry by its ledger record
    steps.add(step("settle", parallelRange("i", "${[0, len(items) - 1]}", List.of("to_ack", "to_nack", "acked", "redelivered"), List.of(
        step("state", call("wait_ledger", obj("step", s.name(), "item", "${items[i]}", "since", 0, "wait_seconds", 0), "state")),
        step("sort", switchOf(
            cond("${state == \"done\" or state == \"failed\"}", stepsBody(
                step("finished", forIn("a", "${ack_ids[i]}", List.of(step("ack_one", assign(kv("to_ack", "${list.concat(to_ack, a)}")))))),
                step("count_acked", assign(kv("acked", "${acked + 1}"))))),
            otherwise(stepsBody(
                step("unfinished", forIn("a", "${ack_ids[i]}", List.of(step("nack_one", assign(kv("to_nack", "${list.concat(to_nack, a)}")))))),
                step("count_redelivered", assign(kv("redelivered", "${redelivered + 1}")))))))))));
    steps.add(step("ack", switchOf(cond("${len(to_ack) > 0}", stepsBody(step("acknowledge",
        callArgs("googleapis.pubsub.v1.projects.subscriptions.acknowledge", obj(
            "subscription", "${subscription}", "body", obj("ackIds", "${to_ack}")), null)))))));
    steps.add(step("nack", switchOf(cond("${len(to_nack) > 0}", stepsBody(step("redeliver",
        callArgs("googleapis.pubsub.v1.projects.subscriptions.modifyAckDeadline", obj(
            "subscription", "${subscription}", "body", obj("ackIds", "${to_nack}", "ackDeadlineSeconds", 0)), null)))))));
    steps.add(step("job_failed", switchOf(condRaise("${job_error != null}", "${job_error}"))));
    steps.add(step("finish", obj("return", obj("batch", "${batch}", "items", "${len(items)}", "acked", "${acked}",
        "redelivered", "${redelivered}", "manifest", "${\"gs://" + buckets.output() + "/\" + manifest_name}"))));
    doc.set("main", obj("steps", steps));
    doc.set("extend", extend());
    doc.set("wait_ledger", waitLedger());
    return doc;
  }

  /** The gs:// URIs of an item's inputs, as an expression of {@code items[i]}: each parent's declared outputs. */
  private String inputs(StepSpec s) {
    List<String> uris = new java.util.ArrayList<>();
    for (String p : s.from()) {
      for (String o : outputs.apply(p)) {
        uris.add("\"gs://" + buckets.output() + "/" + buckets.outputPrefix() + p + "/\" + items[i] + \"." + o + "\"");
      }
    }
    return "${[" + String.join(", ", uris) + "]}";
  }

  /** How long the connector waits for an execution: every task at its timeout, with every retry, and slack. */
  private static long jobTimeoutSeconds(StepSpec s) {
    return s.timeout().toSeconds() * (Math.min(s.retries(), TerraformRoot.MAX_JOB_RETRIES) + 1) + 600;
  }

  /**
   * Extends the ack deadlines of held messages to the most Pub/Sub allows. A failed extension is
   * logged, not raised: the next one comes well before the deadline, and a request that does slip
   * out is redelivered and found done in the ledger.
   */
  private ObjectNode extend() {
    ArrayNode steps = Emit.array();
    steps.add(step("none", switchOf(condReturn("${len(ack_ids) == 0}", 0))));
    ObjectNode modify = callArgs("googleapis.pubsub.v1.projects.subscriptions.modifyAckDeadline", obj(
        "subscription", "${subscription}", "body", obj("ackIds", "${ack_ids}", "ackDeadlineSeconds", ACK_DEADLINE_SECONDS)), null);
    steps.add(step("modify", obj("try", modify, "except", obj("as", "e", "steps", Emit.array().add(step("log",
        callArgs("sys.log", obj("severity", "WARNING", "text", "${\"could not extend ack deadlines: \" + json.encode_to_string(e)}"), null)))))));
    steps.add(step("done", obj("return", "${len(ack_ids)}")));
    return obj("params", strings(List.of("subscription", "ack_ids")), "steps", steps);
  }

  List<StepSpec> batchSteps() {
    return graph.steps().stream().filter(s -> s.kind() == StepKind.JOB).toList();
  }

  // --- subworkflows shared by the workflows above -------------------------------------------

  /**
   * Publishes one request envelope to a topic: the JSON and attributes {@link EnvelopeCodec} writes
   * for {@link Envelope#request}, with the per-request fields filled in by the workflow.
   */
  private ObjectNode publish() {
    ArrayNode steps = Emit.array();
    // The request's time is taken before it is sent: a fast step may record its answer before the
    // publish call returns, and "written at or after the request" must still hold for it.
    steps.add(step("envelope", assign(
        kv("sent_at", "${sys.now()}"),
        kv("project", "${sys.get_env(\"GOOGLE_CLOUD_PROJECT_ID\")}"),
        kv("message", requestEnvelope("${item}", "${force}", "${ping}", "${sent_at}")))));
    steps.add(step("send", callArgs("googleapis.pubsub.v1.projects.topics.publish", obj(
        "topic", "${\"projects/\" + project + \"/topics/\" + topic}",
        "body", obj("messages", Emit.array().add(obj("data", "${base64.encode(json.encode(message))}",
            "attributes", requestAttributes("${item}", "${string(force)}", "${string(ping)}"))))), null)));
    steps.add(step("sent", obj("return", "${sent_at}")));
    return obj("params", strings(List.of("topic", "item", "force", "ping")), "steps", steps);
  }

  /** The template every workflow request is made from: what {@link EnvelopeCodec} writes for a request. */
  private static final Message REQUEST = EnvelopeCodec.encode(Envelope.request("item", java.time.Instant.EPOCH));

  /**
   * A request envelope as data, from {@link #REQUEST}: item, force and ping are expressions, the
   * trace is this execution's (id {@code <execution>/<item>}, created at {@code at}, in seconds).
   * Every other field is the codec's own, so a field the codec adds reaches the workflows unasked.
   */
  static ObjectNode requestEnvelope(String item, String force, String ping, String at) {
    ObjectNode o;
    try {
      o = (ObjectNode) Emit.JSON.readTree(REQUEST.data());
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
    fill(o, "item", item);
    fill(o, "force", force);
    fill(o, "ping", ping);
    ObjectNode trace = (ObjectNode) o.get("trace");
    fill(trace, "id", "${sys.get_env(\"GOOGLE_CLOUD_WORKFLOW_EXECUTION_ID\") + \"/\" + " + unwrap(item) + "}");
    fill(trace, "created", "${time.format(" + unwrap(at) + ")}");
    return o;
  }

  /** The attributes {@link EnvelopeCodec} mirrors for a request, with item, force and ping as expressions. */
  static ObjectNode requestAttributes(String item, String force, String ping) {
    ObjectNode a = Emit.object();
    new java.util.TreeMap<>(REQUEST.attributes()).forEach(a::put); // sorted: the same graph gives the same bytes
    fill(a, EnvelopeCodec.ATTR_ITEM, item);
    fill(a, EnvelopeCodec.ATTR_FORCE, force);
    fill(a, EnvelopeCodec.ATTR_PING, ping);
    return a;
  }

  private static void fill(ObjectNode o, String field, String expression) {
    if (!o.has(field)) throw new IllegalStateException("EnvelopeCodec no longer writes '" + field + "' in a request");
    o.put(field, expression);
  }

  /** {@code ${x}} to {@code x}. */
  private static String unwrap(String expression) {
    return expression.substring(2, expression.length() - 1);
  }

  private ObjectNode requestAndWait() {
    ArrayNode steps = Emit.array();
    steps.add(step("send", call("publish", obj("topic", "${topic}", "item", "${item}", "force", "${force}", "ping", "${ping}"), "sent_at")));
    steps.add(step("since", assign(kv("since", "${if(force or ping, sent_at, 0)}"))));
    steps.add(step("wait", call("wait_ledger", obj("step", "${step}", "item", "${item}", "since", "${since}", "wait_seconds", "${wait_seconds}"), "state")));
    steps.add(step("done", obj("return", "${state}")));
    return obj("params", strings(List.of("topic", "step", "item", "force", "ping", "wait_seconds")), "steps", steps);
  }

  /**
   * Reads the ledger record of (step, item) until it is done or failed and was written after
   * {@code since} (seconds since the epoch; 0: any time), or {@code wait_seconds} have passed.
   * Returns {@code done}, {@code failed} or {@code waiting}.
   */
  private ObjectNode waitLedger() {
    ArrayNode steps = Emit.array();
    steps.add(step("init", assign(
        // LedgerDocumentId: URL-safe base64 of SHA-256(step + "/" + item), as FirestoreLedger names it.
        kv("id", "${text.replace_all(text.replace_all(base64.encode(hash.compute_checksum(text.encode(step + \""
            + LedgerDocumentId.SEPARATOR + "\" + item), \"SHA256\")), \"+\", \"-\"), \"/\", \"_\")}"),
        kv("name", "${\"projects/\" + sys.get_env(\"GOOGLE_CLOUD_PROJECT_ID\") + \"/databases/" + names.ledgerDatabase()
            + "/documents/" + FunctionConfigs.LEDGER_COLLECTION + "/\" + id}"),
        kv("deadline", "${sys.now() + wait_seconds}"))));
    ObjectNode get = callArgs("googleapis.firestore.v1.projects.databases.documents.get", obj("name", "${name}"), "record");
    ObjectNode except = obj("as", "e", "steps", Emit.array()
        .add(step("not_yet", switchOf(condNext("${e.code == 404}", "later"))))
        .add(step("other", obj("raise", "${e}"))));
    steps.add(step("read", obj("try", get, "except", except)));
    // A record that only noted a ping has no state yet.
    steps.add(step("fields", assign(
        kv("state", "${default(map.get(record, [\"fields\", \"state\", \"stringValue\"]), \"\")}"),
        kv("updated", "${time.parse(record.updateTime)}"))));
    steps.add(step("decide", switchOf(
        cond("${state == \"done\" and updated >= since}", obj("return", "done")),
        cond("${state == \"failed\" and updated >= since}", obj("return", "failed")))));
    steps.add(step("later", switchOf(condReturn("${sys.now() >= deadline}", "waiting"))));
    steps.add(step("sleep", obj("call", "sys.sleep", "args", obj("seconds", POLL_SECONDS), "next", "read")));
    return obj("params", strings(List.of("step", "item", "since", "wait_seconds")), "steps", steps);
  }

  /**
   * One page of input object names under a prefix (relative to the input prefix), as item ids:
   * each name named by {@link #itemOfObject()}; folders and names that are no valid id are left out.
   */
  private ObjectNode listItems() {
    ArrayNode steps = Emit.array();
    steps.add(step("list", callArgs("googleapis.storage.v1.objects.list", obj(
        "bucket", buckets.input(), "prefix", "${\"" + buckets.inputPrefix() + "\" + prefix}",
        "pageToken", "${page_token}", "maxResults", "${limit}"), "page")));
    steps.add(step("init", assign(kv("items", Emit.array()))));
    steps.add(step("ids", switchOf(cond("${\"items\" in page}", stepsBody(step("each", forIn("o", "${page.items}", List.of(
        step("name", call(ITEM_OF_OBJECT, obj("name", "${o.name}"), "id")),
        step("add", switchOf(cond("${id != null}", stepsBody(step("append", assign(kv("items", "${list.concat(items, id)}")))))))))))))));
    steps.add(step("done", obj("return", obj("items", "${items}", "next_page_token", "${default(map.get(page, \"nextPageToken\"), null)}"))));
    return obj("params", strings(List.of("prefix", "page_token", "limit")), "steps", steps);
  }

  static final String ITEM_OF_OBJECT = "item_of_object";

  /**
   * The item id an input object names, exactly as the roots derive it ({@link ItemIds#fromObjectName(String,
   * String)}): the name after the input prefix, without the extension of its last segment; null
   * (with a warning in the log) for a folder, a name outside the prefix, or an id the runtime
   * refuses. Proven equal to {@link ItemIds} on the shared table {@code item-ids.json}.
   */
  ObjectNode itemOfObject() {
    String prefix = buckets.inputPrefix();
    ArrayNode steps = Emit.array();
    if (!prefix.isEmpty()) {
      steps.add(step("outside", switchOf(
          condReturn("${len(name) <= " + prefix.length() + "}", null),
          condReturn("${text.substring(name, 0, " + prefix.length() + ") != " + quoted(prefix) + "}", null))));
    }
    steps.add(step("folder", switchOf(condReturn("${text.match_regex(name, \"/$\")}", null))));
    steps.add(step("strip", assign(
        kv("rest", prefix.isEmpty() ? "${name}" : "${text.substring(name, " + prefix.length() + ", len(name))}"),
        kv("id", "${if(text.match_regex(rest, " + quoted(ItemIds.HAS_EXTENSION) + "), text.replace_all_regex(rest, "
            + quoted(ItemIds.EXTENSION) + ", \"\"), rest)}"))));
    steps.add(step("valid", switchOf(cond("${len(text.encode(id)) > " + ItemIds.MAX_BYTES + " or text.match_regex(id, "
        + quoted(ItemIds.INVALID) + ")}", stepsBody(
            step("refused", callArgs("sys.log", obj("severity", "WARNING",
                "text", "${\"input object \" + json.encode_to_string(name) + \" names no valid item id; left out\"}"), null)),
            step("none", obj("return", null)))))));
    steps.add(step("named", obj("return", "${id}")));
    return obj("params", strings(List.of("name")), "steps", steps);
  }

  /** A string literal of the expression language (JSON's escapes are its escapes). */
  private static String quoted(String s) {
    return Emit.JSON.getNodeFactory().textNode(s).toString();
  }

  // --- building blocks ---------------------------------------------------------------------

  private ObjectNode topicMap() {
    ObjectNode m = Emit.object();
    for (StepSpec s : graph.steps()) m.put(s.name(), names.topic(s.name()));
    return m;
  }

  private static ObjectNode summary() {
    return obj("requested", 0, "done", 0, "failed", 0, "waiting", 0);
  }

  private static String json(List<String> l) {
    return strings(l).toString();
  }

  static ArrayNode strings(List<String> l) {
    ArrayNode a = Emit.array();
    l.forEach(a::add);
    return a;
  }

  static ObjectNode step(String name, ObjectNode body) {
    ObjectNode s = Emit.object();
    s.set(name, body);
    return s;
  }

  static ObjectNode kv(String k, Object v) {
    return obj(k, v);
  }

  static ObjectNode assign(ObjectNode... pairs) {
    return assignBody(pairs);
  }

  static ObjectNode assignBody(ObjectNode... pairs) {
    ArrayNode a = Emit.array();
    for (ObjectNode p : pairs) a.add(p);
    return obj("assign", a);
  }

  static ObjectNode call(String sub, ObjectNode args, String result) {
    return callArgs(sub, args, result);
  }

  static ObjectNode callArgs(String fn, ObjectNode args, String result) {
    ObjectNode c = obj("call", fn, "args", args);
    if (result != null) c.put("result", result);
    return c;
  }

  static ObjectNode switchOf(ObjectNode... conditions) {
    ArrayNode a = Emit.array();
    for (ObjectNode c : conditions) a.add(c);
    return obj("switch", a);
  }

  static ObjectNode cond(String condition, ObjectNode then) {
    ObjectNode c = obj("condition", condition);
    c.setAll(then);
    return c;
  }

  /** The last condition of a switch: always taken. */
  static ObjectNode otherwise(ObjectNode then) {
    ObjectNode c = obj("condition", true);
    c.setAll(then);
    return c;
  }

  static ObjectNode condNext(String condition, String next) {
    return obj("condition", condition, "next", next);
  }

  static ObjectNode condRaise(String condition, String raise) {
    return obj("condition", condition, "raise", raise);
  }

  static ObjectNode condReturn(String condition, Object value) {
    return obj("condition", condition, "return", value);
  }

  static ObjectNode stepsBody(ObjectNode... steps) {
    ArrayNode a = Emit.array();
    for (ObjectNode s : steps) a.add(s);
    return obj("steps", a);
  }

  static ObjectNode forIn(String value, String in, List<ObjectNode> steps) {
    ArrayNode a = Emit.array();
    steps.forEach(a::add);
    return obj("for", obj("value", value, "in", in, "steps", a));
  }

  static ObjectNode forRange(String value, String range, List<ObjectNode> steps) {
    ArrayNode a = Emit.array();
    steps.forEach(a::add);
    return obj("for", obj("value", value, "range", range, "steps", a));
  }

  static ObjectNode parallelRange(String value, String range, List<String> shared, List<ObjectNode> steps) {
    ObjectNode p = Emit.object();
    if (!shared.isEmpty()) p.set("shared", strings(shared));
    p.put("concurrency_limit", CONCURRENCY);
    p.set("for", forRange(value, range, steps).get("for"));
    return obj("parallel", p);
  }

  static ObjectNode parallelFor(String value, String in, List<String> shared, List<ObjectNode> steps) {
    ObjectNode p = Emit.object();
    if (!shared.isEmpty()) p.set("shared", strings(shared));
    p.put("concurrency_limit", CONCURRENCY);
    p.set("for", forIn(value, in, steps).get("for"));
    return obj("parallel", p);
  }

  /** An object from alternating keys and values (String, Number, Boolean, null or a tree). */
  static ObjectNode obj(Object... kvs) {
    ObjectNode o = Emit.object();
    for (int i = 0; i < kvs.length; i += 2) {
      String k = (String) kvs[i];
      Object v = kvs[i + 1];
      if (v == null) o.putNull(k);
      else if (v instanceof String s) o.put(k, s);
      else if (v instanceof Integer n) o.put(k, n);
      else if (v instanceof Long n) o.put(k, n);
      else if (v instanceof Boolean b) o.put(k, b);
      else if (v instanceof com.fasterxml.jackson.databind.JsonNode n) o.set(k, n);
      else throw new IllegalArgumentException("cannot put " + v.getClass());
    }
    return o;
  }

  /** The buckets of a graph: names and prefixes, from {@code storage.input} and {@code storage.output}. */
  record Buckets(String input, String inputPrefix, String output, String outputPrefix) {
    static Buckets of(Graph.Storage storage) {
      String[] in = split(storage.input());
      String[] out = split(storage.output());
      return new Buckets(in[0], in[1], out[0], out[1]);
    }

    /** {@code gs://b/p} to {@code [b, "p/"]}; {@code gs://b} to {@code [b, ""]}. */
    private static String[] split(String uri) {
      String rest = uri.substring("gs://".length());
      int slash = rest.indexOf('/');
      if (slash < 0) return new String[] {rest, ""};
      String prefix = rest.substring(slash + 1);
      if (!prefix.isEmpty() && !prefix.endsWith("/")) prefix += "/";
      return new String[] {rest.substring(0, slash), prefix};
    }
  }
}
