package io.wavegraph.compiler;

import io.wavegraph.core.graph.Graph;
import io.wavegraph.core.graph.GraphProblem;
import io.wavegraph.core.graph.SourcePosition;
import io.wavegraph.core.graph.StepSpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Every Google Cloud name of a compiled graph, derived from the graph and step names only, and
 * checked against Google Cloud's limits. {@link #problems} lists the names that cannot fit, each
 * at the position of the step (or graph) it comes from.
 *
 * <p>Limits used (the strictest that applies): Cloud Run functions and jobs 49 characters (a gen2
 * function is a Cloud Run service, whose names are at most 49), service account ids 6-30
 * {@code [a-z][a-z0-9-]*[a-z0-9]}, Pub/Sub topics and subscriptions 3-255 starting with a letter,
 * workflows 64, Firestore databases 4-63.
 */
public final class CloudNames {
  public static final int MAX_RUN_NAME = 49;
  public static final int MAX_SERVICE_ACCOUNT = 30;
  public static final int MAX_WORKFLOW = 64;
  public static final int MAX_PUBSUB = 255;
  public static final int MAX_DATABASE = 63;
  private static final Pattern RUN_NAME = Pattern.compile("[a-z]([a-z0-9-]*[a-z0-9])?");

  private final String graph;

  public CloudNames(String graph) {
    this.graph = graph;
  }

  /** The prefix of every topic: {@code <graph>-}, as {@code Layout} takes it. */
  public String topicPrefix() {
    return graph + "-";
  }

  public String topic(String step) {
    return topicPrefix() + step;
  }

  public String deadLetterTopic(String step) {
    return topicPrefix() + step + "-dead-letter";
  }

  /** The subscription that feeds a step (push to a function, or pulled by a batch workflow). */
  public String subscription(String step) {
    return topic(step);
  }

  /**
   * A batch step's admitted requests ({@code Layout.admittedTopic}): its admission function
   * forwards there what needs a run; the batch workflow pulls them from the subscription of the
   * same name.
   */
  public String admittedTopic(String step) {
    return topic(step) + io.wavegraph.core.pipeline.Layout.ADMITTED_SUFFIX;
  }

  public String admittedSubscription(String step) {
    return admittedTopic(step);
  }

  /** A batch step's admission function (its job has {@link #runName}). */
  public String admissionFunction(String step) {
    return runName(step) + "-admit";
  }

  public String admissionServiceAccount(String step) {
    return fit("wg-" + graph + "-" + step + "-admit");
  }

  /** The subscription that keeps what was dead-lettered, so nothing is lost. */
  public String deadLetterSubscription(String step) {
    return deadLetterTopic(step);
  }

  /** A function or Cloud Run job. */
  public String runName(String step) {
    return graph + "-" + step;
  }

  /** A step's own service account id: {@code wg-<graph>-<step>}, hashed down to 30 when longer. */
  public String stepServiceAccount(String step) {
    return fit("wg-" + graph + "-" + step);
  }

  /** A workflow's own service account id. */
  public String workflowServiceAccount(String workflowSuffix) {
    return fit("wgw-" + graph + "-" + workflowSuffix);
  }

  /** A batch workflow's scheduler account id: it may only start executions. */
  public String schedulerServiceAccount(String step) {
    return fit("wgs-" + graph + "-" + step);
  }

  /** The account the functions' builds run as. */
  public String buildServiceAccount() {
    return fit("wgb-" + graph + "-build");
  }

  /** The graph's Artifact Registry (Docker) repository: function builds and batch job images. */
  public String imageRepository() {
    return graph + "-images";
  }

  public String reprocessWorkflow() {
    return graph + "-reprocess";
  }

  public String backfillWorkflow() {
    return graph + "-backfill";
  }

  public String batchWorkflow(String step) {
    return graph + "-batch-" + step;
  }

  public String ledgerDatabase() {
    return graph + "-ledger";
  }

  /** Terraform identifiers: letters, digits, underscores. */
  public static String tfId(String name) {
    return name.replace('-', '_');
  }

  /**
   * A service account id of at most 30 characters: the name itself when it fits, else its first
   * 25 characters and 4 hex digits of its SHA-256, so distinct names stay distinct.
   */
  static String fit(String name) {
    if (name.length() <= MAX_SERVICE_ACCOUNT) return name;
    String head = name.substring(0, MAX_SERVICE_ACCOUNT - 5);
    while (head.endsWith("-")) head = head.substring(0, head.length() - 1);
    return head + "-" + sha256(name).substring(0, 4);
  }

  static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Every derived name that Google Cloud would refuse, with the position of what it comes from. */
  public List<GraphProblem> problems(Graph g) {
    List<GraphProblem> out = new ArrayList<>();
    SourcePosition top = new SourcePosition(g.source() == null ? "graph" : g.source().toString(), 1, 1);
    check(out, top, "workflow", reprocessWorkflow(), MAX_WORKFLOW);
    check(out, top, "workflow", backfillWorkflow(), MAX_WORKFLOW);
    check(out, top, "Firestore database", ledgerDatabase(), MAX_DATABASE);
    for (StepSpec s : g.steps()) {
      SourcePosition at = s.position();
      check(out, at, s.kind().wire().equals("job") ? "Cloud Run job" : "Cloud Run function", runName(s.name()), MAX_RUN_NAME);
      check(out, at, "dead-letter topic", deadLetterTopic(s.name()), MAX_PUBSUB);
      if (s.kind().wire().equals("job")) {
        check(out, at, "workflow", batchWorkflow(s.name()), MAX_WORKFLOW);
        check(out, at, "Cloud Run function", admissionFunction(s.name()), MAX_RUN_NAME);
        check(out, at, "dead-letter topic", admittedTopic(s.name()) + "-dead-letter", MAX_PUBSUB);
        for (String taken : List.of(s.name() + io.wavegraph.core.pipeline.Layout.ADMITTED_SUFFIX, s.name() + "-admit")) {
          if (g.hasStep(taken)) {
            out.add(new GraphProblem(at, "batch step '" + s.name() + "' needs the names of step '" + taken
                + "' for its admission (its topic or function): rename one of them"));
          }
        }
      }
    }
    return out;
  }

  private static void check(List<GraphProblem> out, SourcePosition at, String what, String name, int max) {
    if (name.length() > max) {
      out.add(new GraphProblem(at, "the " + what + " name '" + name + "' would be " + name.length()
          + " characters; Google Cloud allows at most " + max + ": shorten the graph or step name"));
    } else if (!RUN_NAME.matcher(name).matches()) {
      out.add(new GraphProblem(at, "the " + what + " name '" + name + "' is not a valid Google Cloud name"));
    }
  }
}
