package io.wavegraph.compiler;

import static io.wavegraph.compiler.WorkflowSources.obj;
import static io.wavegraph.compiler.WorkflowSources.strings;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wavegraph.compiler.WorkflowSources.Buckets;
import io.wavegraph.core.config.FunctionConfigSchema;
import io.wavegraph.core.graph.Graph;
import io.wavegraph.core.graph.ResolvedGraph;
import io.wavegraph.core.graph.StepKind;
import io.wavegraph.core.graph.StepSpec;

/**
 * The configuration each step's function or job reads at start (schema
 * {@value #SCHEMA}, described in {@code docs/function-config.md}): who it is, its neighbours,
 * its topics, buckets and ledger, and its limits.
 */
final class FunctionConfigs {
  static final String SCHEMA = FunctionConfigSchema.SCHEMA;
  static final String LEDGER_COLLECTION = FunctionConfigSchema.LEDGER_COLLECTION;

  private final ResolvedGraph resolved;
  private final CloudNames names;
  private final Buckets buckets;

  FunctionConfigs(ResolvedGraph resolved, CloudNames names, Buckets buckets) {
    this.resolved = resolved;
    this.names = names;
    this.buckets = buckets;
  }

  ObjectNode of(StepSpec s) {
    Graph g = resolved.graph();
    ObjectNode c = obj("schema", SCHEMA, "graph", g.name(), "step", s.name(), "kind", s.kind().wire());
    c.set("transform", s.uses() != null ? obj("uses", s.uses()) : obj("class", s.className()));
    c.set("params", Emit.JSON.valueToTree(s.params()));
    c.put("version", resolved.blueprint(s.name()).version());
    c.set("parents", strings(s.from()));
    c.set("children", strings(g.children(s.name())));
    c.set("outputs", strings(resolved.outputs(s.name())));
    // The whole graph's shape (edges and outputs, no code), so a deployed step can route bottom-up
    // requests to every descendant and judge which parents a forced request reaches.
    ObjectNode shape = Emit.object();
    for (StepSpec t : g.steps()) {
      shape.set(t.name(), obj("from", strings(t.from()), "outputs", strings(resolved.outputs(t.name()))));
    }
    c.set("graph_steps", shape);
    c.set("gcp", obj("project", g.gcp().project(), "region", g.gcp().region()));
    ObjectNode topics = obj("prefix", names.topicPrefix(), "self", names.topic(s.name()), "dead_letter", names.deadLetterTopic(s.name()));
    ObjectNode parents = Emit.object();
    s.from().forEach(p -> parents.put(p, names.topic(p)));
    ObjectNode children = Emit.object();
    g.children(s.name()).forEach(k -> children.put(k, names.topic(k)));
    topics.set("parents", parents);
    topics.set("children", children);
    c.set("topics", topics);
    c.set("buckets", obj("input", buckets.input(), "input_prefix", buckets.inputPrefix(),
        "output", buckets.output(), "output_prefix", buckets.outputPrefix(),
        "output_key", buckets.outputPrefix() + "{step}/{item}.{output}"));
    c.set("ledger", obj("database", names.ledgerDatabase(), "collection", LEDGER_COLLECTION,
        "document_id", "base64url(sha256({step}/{item}))", "ttl_field", FunctionConfigSchema.LEDGER_TTL_FIELD));
    c.put("retries", s.retries());
    c.put("timeout_seconds", s.timeout().toSeconds());
    c.put("memory", s.memory());
    if (s.kind() == StepKind.JOB) {
      ObjectNode job = obj("name", names.runName(s.name()), "gpu", s.gpu(), "image", s.image(),
          "manifest_env", FunctionConfigSchema.MANIFEST_ENV, "workflow", names.batchWorkflow(s.name()));
      // Always the rule the step runs by, so the reader never guesses a default of its own.
      job.setAll((ObjectNode) Emit.JSON.valueToTree(FunctionConfigSchema.batchFields(s.batchRule())));
      c.set("job", job);
    }
    return c;
  }
}
