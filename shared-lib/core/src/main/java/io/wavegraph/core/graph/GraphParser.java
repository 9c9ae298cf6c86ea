package io.wavegraph.core.graph;

import io.wavegraph.core.step.BadParameterException;
import io.wavegraph.core.step.Blueprint;
import io.wavegraph.core.step.StepFactory;
import io.wavegraph.core.step.StepResolutionException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Reads a graph file and checks everything that can be checked before running it: names, keys,
 * parents, cycles, transforms and classes, parameters and runtime settings. Every problem is
 * reported with the file, line and column it is about, and all of them at once.
 */
public final class GraphParser {
  /** Graph names prefix every cloud resource name, so they are short. */
  public static final int MAX_GRAPH_NAME = 20;
  public static final int MAX_STEP_NAME = 30;
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]*");
  private static final Pattern BUCKET_URI = Pattern.compile("gs://([a-z0-9][a-z0-9._-]{1,61}[a-z0-9])(/.*)?");
  private static final Pattern MEMORY = Pattern.compile("([1-9][0-9]*)(Mi|Gi)");
  private static final Pattern DURATION = Pattern.compile("([0-9]+)(ms|s|m|h)?");
  private static final Set<String> TOP_KEYS = Set.of("name", "gcp", "storage", "steps");
  private static final Set<String> GCP_KEYS = Set.of("project", "region");
  private static final Set<String> STORAGE_KEYS = Set.of("input", "output");
  private static final Set<String> STEP_KEYS = Set.of(
      "uses", "class", "from", "params", "retries", "timeout", "memory", "max_instances", "kind", "gpu", "batch", "image");
  /** A container image reference: registry host, path, and a tag or digest. */
  private static final Pattern IMAGE = Pattern.compile("[a-z0-9.-]+(:[0-9]+)?(/[a-z0-9._-]+)+(:[A-Za-z0-9._-]{1,128}|@sha256:[0-9a-f]{64})?");
  private static final Set<String> GPUS = Set.of("nvidia-l4");

  private final StepFactory factory;

  public GraphParser(StepFactory factory) {
    this.factory = factory;
  }

  /** Reads and validates the graph file, resolving every step's code. */
  public ResolvedGraph parse(Path file) throws GraphException, IOException {
    return parse(Files.readString(file), file.toString(), file);
  }

  /** Reads and validates graph text; {@code label} names it in errors. */
  public ResolvedGraph parse(String text, String label, Path source) throws GraphException {
    Problems problems = new Problems(label);
    Node root;
    try {
      LoadSettings settings = LoadSettings.builder().setLabel(label).setAllowDuplicateKeys(true).build();
      Optional<Node> composed = new Compose(settings).composeString(text);
      if (composed.isEmpty()) {
        problems.add(1, 1, "the file is empty");
        throw problems.exception();
      }
      root = composed.get();
    } catch (MarkedYamlEngineException e) {
      Mark m = e.getProblemMark().or(e::getContextMark).orElse(null);
      problems.add(m == null ? 1 : m.getLine() + 1, m == null ? 1 : m.getColumn() + 1, "not valid YAML: " + e.getProblem());
      throw problems.exception();
    } catch (YamlEngineException e) {
      problems.add(1, 1, "not valid YAML: " + e.getMessage());
      throw problems.exception();
    }
    return new Reader(problems).graph(root, source);
  }

  private final class Reader {
    private final Problems problems;

    Reader(Problems problems) {
      this.problems = problems;
    }

    ResolvedGraph graph(Node root, Path source) throws GraphException {
      Map<String, NodeTuple> top = mapping(root, "the graph", TOP_KEYS);
      if (top == null) throw problems.exception();
      String name = null;
      if (!top.containsKey("name")) problems.add(root, "the graph has no 'name'");
      else name = checkedName(top.get("name").getValueNode(), "graph", MAX_GRAPH_NAME);
      Graph.Gcp gcp = top.containsKey("gcp") ? gcp(top.get("gcp").getValueNode()) : new Graph.Gcp(null, null);
      Graph.Storage storage = top.containsKey("storage") ? storage(top.get("storage").getValueNode()) : new Graph.Storage(null, null);
      List<StepSpec> steps = new ArrayList<>();
      if (!top.containsKey("steps")) problems.add(root, "the graph has no 'steps'");
      else steps = steps(top.get("steps").getValueNode());
      // Structure, cycles and each step's code are checked independently, so that one run of
      // validate reports every problem at once.
      checkCycles(steps);
      Map<String, Blueprint> blueprints = new LinkedHashMap<>();
      for (StepSpec s : steps) {
        Blueprint b = blueprint(s, paramNodes.get(s.name()));
        if (b != null) blueprints.put(s.name(), b);
      }
      if (!problems.isEmpty()) throw problems.exception();
      return new ResolvedGraph(new Graph(name, source, storage, gcp, steps), blueprints);
    }

    private final Map<String, Map<String, Node>> paramNodes = new LinkedHashMap<>();
    private final Map<String, Node> stepNodes = new LinkedHashMap<>();

    private Graph.Gcp gcp(Node node) {
      Map<String, NodeTuple> m = mapping(node, "'gcp'", GCP_KEYS);
      if (m == null) return new Graph.Gcp(null, null);
      String project = m.containsKey("project") ? scalar(m.get("project").getValueNode(), "gcp.project") : null;
      if (project != null && !project.matches("[a-z][a-z0-9-]{4,28}[a-z0-9]")) {
        problems.add(m.get("project").getValueNode(), "gcp.project '" + project + "' is not a valid project id (6-30 lowercase letters, digits, hyphens; starts with a letter)");
      }
      String region = m.containsKey("region") ? scalar(m.get("region").getValueNode(), "gcp.region") : null;
      if (region != null && !region.matches("[a-z]+-[a-z]+[0-9]+")) {
        problems.add(m.get("region").getValueNode(), "gcp.region '" + region + "' is not a region name like europe-west1");
      }
      return new Graph.Gcp(project, region);
    }

    private Graph.Storage storage(Node node) {
      Map<String, NodeTuple> m = mapping(node, "'storage'", STORAGE_KEYS);
      if (m == null) return new Graph.Storage(null, null);
      return new Graph.Storage(bucketUri(m.get("input"), "storage.input"), bucketUri(m.get("output"), "storage.output"));
    }

    private String bucketUri(NodeTuple t, String what) {
      if (t == null) return null;
      String uri = scalar(t.getValueNode(), what);
      if (uri != null && !BUCKET_URI.matcher(uri).matches()) {
        problems.add(t.getValueNode(), what + " '" + uri + "' is not a Cloud Storage URI like gs://my-bucket or gs://my-bucket/prefix");
      }
      return uri;
    }

    private List<StepSpec> steps(Node node) {
      List<StepSpec> out = new ArrayList<>();
      if (!(node instanceof MappingNode m)) {
        problems.add(node, "'steps' must be a mapping of step names to steps");
        return out;
      }
      if (m.getValue().isEmpty()) problems.add(node, "'steps' is empty: a graph needs at least one step");
      Set<String> seen = new HashSet<>();
      for (NodeTuple t : m.getValue()) {
        String name = checkedName(t.getKeyNode(), "step", MAX_STEP_NAME);
        if (name == null) continue;
        if (!seen.add(name)) {
          problems.add(t.getKeyNode(), "duplicate step '" + name + "'");
          continue;
        }
        stepNodes.put(name, t.getKeyNode());
        StepSpec s = step(name, t.getKeyNode(), t.getValueNode());
        if (s != null) out.add(s);
      }
      Set<String> names = new HashSet<>();
      out.forEach(s -> names.add(s.name()));
      for (StepSpec s : out) {
        for (String p : s.from()) {
          if (!names.contains(p) && seen.contains(p)) continue; // the parent itself was reported
          if (!names.contains(p)) {
            problems.add(fromNodes.get(s.name() + "\u0000" + p), "unknown parent '" + p + "' of step '" + s.name() + "' (steps: " + String.join(", ", seen) + ")");
          }
        }
      }
      return out;
    }

    private final Map<String, Node> fromNodes = new LinkedHashMap<>();

    private StepSpec step(String name, Node keyNode, Node node) {
      Map<String, NodeTuple> m = mapping(node, "step '" + name + "'", STEP_KEYS);
      if (m == null) return null;
      String uses = m.containsKey("uses") ? scalar(m.get("uses").getValueNode(), "'uses'") : null;
      String cls = m.containsKey("class") ? scalar(m.get("class").getValueNode(), "'class'") : null;
      if (uses == null && cls == null) problems.add(keyNode, "step '" + name + "' needs 'uses' (a built-in transform) or 'class' (a step class)");
      if (uses != null && cls != null) problems.add(m.get("class").getKeyNode(), "step '" + name + "' has both 'uses' and 'class'; give one");
      List<String> from = from(name, m.get("from"));
      Map<String, Object> params = new LinkedHashMap<>();
      Map<String, Node> pnodes = new LinkedHashMap<>();
      if (m.containsKey("params")) {
        Node pn = m.get("params").getValueNode();
        pnodes.put("", pn);
        if (pn instanceof MappingNode pm) {
          for (NodeTuple t : pm.getValue()) {
            String k = scalar(t.getKeyNode(), "parameter name");
            if (k == null) continue;
            if (params.containsKey(k)) problems.add(t.getKeyNode(), "duplicate parameter '" + k + "' in step '" + name + "'");
            params.put(k, value(t.getValueNode()));
            pnodes.put(k, t.getKeyNode());
          }
        } else if (!isNull(pn)) {
          problems.add(pn, "'params' of step '" + name + "' must be a mapping");
        }
      }
      paramNodes.put(name, pnodes);
      int retries = intSetting(m.get("retries"), "retries", StepSpec.DEFAULT_RETRIES, 0, 100);
      Duration timeout = durationSetting(m.get("timeout"), "timeout", StepSpec.DEFAULT_TIMEOUT);
      String memory = memory(m.get("memory"));
      Integer maxInstances = m.containsKey("max_instances") ? intSetting(m.get("max_instances"), "max_instances", 1, 1, 1000) : null;
      StepKind kind = kind(m.get("kind"));
      String gpu = null;
      if (m.containsKey("gpu")) {
        gpu = scalar(m.get("gpu").getValueNode(), "'gpu'");
        if (gpu != null && !GPUS.contains(gpu)) problems.add(m.get("gpu").getValueNode(), "unknown gpu '" + gpu + "' (supported: " + String.join(", ", GPUS) + ")");
        if (kind != StepKind.JOB) problems.add(m.get("gpu").getKeyNode(), "'gpu' needs 'kind: job': functions have no GPUs");
        // A GPU the step never uses is paid for nothing: the built-in separate runs its kernels on
        // the CPU unless its kernels parameter says gpu.
        Object kernels = params.getOrDefault("kernels", "cpu");
        if (gpu != null && "separate".equals(uses) && !"gpu".equals(kernels)) {
          problems.add(pnodes.containsKey("kernels") ? pnodes.get("kernels") : m.get("gpu").getKeyNode(), "step '" + name + "' asks for 'gpu: "
              + gpu + "' but would separate on the CPU (kernels: " + kernels + "): set params: {kernels: gpu} (its image: docs/batch-steps.md) or drop 'gpu'");
        }
      }
      StepSpec.Batch batch = null;
      if (m.containsKey("batch")) {
        batch = batch(m.get("batch").getValueNode());
        if (kind != StepKind.JOB) problems.add(m.get("batch").getKeyNode(), "'batch' needs 'kind: job'");
      }
      String image = null;
      if (m.containsKey("image")) {
        image = scalar(m.get("image").getValueNode(), "'image'");
        if (image != null && !IMAGE.matcher(image).matches()) {
          problems.add(m.get("image").getValueNode(), "'image' must be a container image like europe-docker.pkg.dev/my-project/steps/separate:1.2, got '" + image + "'");
        }
        if (kind != StepKind.JOB) problems.add(m.get("image").getKeyNode(), "'image' needs 'kind: job': functions run the Wavegraph function runtime");
      }
      SourcePosition pos = problems.position(keyNode);
      return new StepSpec(name, uses, cls, from, params, retries, timeout, memory, maxInstances, kind, gpu, batch, image, pos);
    }

    private List<String> from(String step, NodeTuple t) {
      List<String> out = new ArrayList<>();
      if (t == null) return out;
      Node n = t.getValueNode();
      List<Node> items = new ArrayList<>();
      if (n instanceof SequenceNode seq) items.addAll(seq.getValue());
      else if (n instanceof ScalarNode) items.add(n);
      else problems.add(n, "'from' of step '" + step + "' must be a step name or a list of them");
      for (Node i : items) {
        String p = scalar(i, "a parent name");
        if (p == null) continue;
        if (p.equals(step)) {
          problems.add(i, "step '" + step + "' lists itself in 'from' (cycle: " + step + " -> " + step + ")");
          continue;
        }
        if (out.contains(p)) {
          problems.add(i, "step '" + step + "' lists parent '" + p + "' twice");
          continue;
        }
        out.add(p);
        fromNodes.put(step + "\u0000" + p, i);
      }
      return out;
    }

    private StepSpec.Batch batch(Node node) {
      Map<String, NodeTuple> m = mapping(node, "'batch'", Set.of("size", "wait", "tasks"));
      if (m == null) return null;
      int size = intSetting(m.get("size"), "batch.size", StepSpec.Batch.DEFAULT_SIZE, 1, StepSpec.Batch.MAX_SIZE);
      Duration wait = durationSetting(m.get("wait"), "batch.wait", StepSpec.Batch.DEFAULT_WAIT);
      int tasks = intSetting(m.get("tasks"), "batch.tasks", StepSpec.Batch.DEFAULT_TASKS, 1, StepSpec.Batch.MAX_TASKS);
      return new StepSpec.Batch(size, wait, tasks);
    }

    private StepKind kind(NodeTuple t) {
      if (t == null) return StepKind.FUNCTION;
      String k = scalar(t.getValueNode(), "'kind'");
      if ("function".equals(k)) return StepKind.FUNCTION;
      if ("job".equals(k)) return StepKind.JOB;
      if (k != null) problems.add(t.getValueNode(), "'kind' must be 'function' or 'job', got '" + k + "'");
      return StepKind.FUNCTION;
    }

    private String memory(NodeTuple t) {
      if (t == null) return StepSpec.DEFAULT_MEMORY;
      String v = scalar(t.getValueNode(), "'memory'");
      if (v == null) return StepSpec.DEFAULT_MEMORY;
      Matcher mm = MEMORY.matcher(v);
      long mib = !mm.matches() ? -1 : Long.parseLong(mm.group(1)) * (mm.group(2).equals("Gi") ? 1024 : 1);
      if (mib < 128 || mib > 32 * 1024) {
        problems.add(t.getValueNode(), "'memory' must be like 512Mi or 2Gi, between 128Mi and 32Gi, got '" + v + "'");
        return StepSpec.DEFAULT_MEMORY;
      }
      return v;
    }

    private int intSetting(NodeTuple t, String what, int dflt, int min, int max) {
      if (t == null) return dflt;
      Node n = t.getValueNode();
      if (n instanceof ScalarNode s && s.getTag().equals(Tag.INT)) {
        try {
          long v = Long.parseLong(s.getValue());
          if (v >= min && v <= max) return (int) v;
        } catch (NumberFormatException ignored) {
          // reported below
        }
      }
      problems.add(n, "'" + what + "' must be an integer between " + min + " and " + max + ", got " + show(n));
      return dflt;
    }

    private Duration durationSetting(NodeTuple t, String what, Duration dflt) {
      if (t == null) return dflt;
      Node n = t.getValueNode();
      String v = n instanceof ScalarNode s ? s.getValue() : null;
      Matcher m = v == null ? null : DURATION.matcher(v);
      if (m == null || !m.matches()) {
        problems.add(n, "'" + what + "' must be a duration like 300s, 10m or 1h, got " + show(n));
        return dflt;
      }
      long amount = Long.parseLong(m.group(1));
      String unit = m.group(2) == null ? "s" : m.group(2);
      Duration d = switch (unit) {
        case "ms" -> Duration.ofMillis(amount);
        case "m" -> Duration.ofMinutes(amount);
        case "h" -> Duration.ofHours(amount);
        default -> Duration.ofSeconds(amount);
      };
      if (d.isZero() || d.compareTo(Duration.ofHours(24)) > 0) {
        problems.add(n, "'" + what + "' must be more than 0 and at most 24h, got " + v);
        return dflt;
      }
      return d;
    }

    private Blueprint blueprint(StepSpec s, Map<String, Node> pnodes) {
      try {
        return factory.blueprint(s);
      } catch (StepResolutionException e) {
        Node n = stepNodes.get(s.name());
        problems.add(n, "step '" + s.name() + "': " + e.getMessage());
      } catch (BadParameterException e) {
        Node n = e.parameter() != null && pnodes.containsKey(e.parameter()) ? pnodes.get(e.parameter())
            : pnodes.getOrDefault("", stepNodes.get(s.name()));
        String what = e.parameter() != null && !e.getMessage().contains("'" + e.parameter() + "'")
            ? "parameter '" + e.parameter() + "' " + e.getMessage() : e.getMessage();
        problems.add(n, "step '" + s.name() + "': bad parameter: " + what);
      } catch (RuntimeException e) {
        problems.add(stepNodes.get(s.name()), "step '" + s.name() + "': " + s.transform() + " failed to configure: " + e);
      }
      return null;
    }

    private void checkCycles(List<StepSpec> steps) {
      Map<String, StepSpec> byName = new LinkedHashMap<>();
      steps.forEach(s -> byName.put(s.name(), s));
      Set<String> done = new HashSet<>();
      for (StepSpec s : steps) {
        List<String> cycle = findCycle(s.name(), byName, new ArrayList<>(), new LinkedHashSet<>(), done);
        if (cycle != null) {
          problems.add(stepNodes.get(cycle.get(0)), "cycle: " + String.join(" -> ", cycle) + " (a graph must have no cycles)");
          return;
        }
      }
    }

    /** Depth-first through parents; returns the steps of a cycle in child -> parent order. */
    private List<String> findCycle(String s, Map<String, StepSpec> byName, List<String> path, Set<String> onPath, Set<String> done) {
      if (done.contains(s) || !byName.containsKey(s)) return null;
      if (onPath.contains(s)) {
        List<String> cycle = new ArrayList<>(path.subList(path.indexOf(s), path.size()));
        cycle.add(s);
        java.util.Collections.reverse(cycle);
        return cycle;
      }
      path.add(s);
      onPath.add(s);
      for (String p : byName.get(s).from()) {
        List<String> c = findCycle(p, byName, path, onPath, done);
        if (c != null) return c;
      }
      path.remove(path.size() - 1);
      onPath.remove(s);
      done.add(s);
      return null;
    }

    private String checkedName(Node n, String what, int max) {
      String name = scalar(n, what + " name");
      if (name == null) return null;
      if (!NAME.matcher(name).matches() || name.endsWith("-")) {
        problems.add(n, "bad " + what + " name '" + name + "': use lowercase letters, digits and '-', starting with a letter and not ending with '-'");
        return null;
      }
      if (name.length() > max) {
        problems.add(n, "bad " + what + " name '" + name + "': at most " + max + " characters (it prefixes cloud resource names), got " + name.length());
        return null;
      }
      return name;
    }

    private Map<String, NodeTuple> mapping(Node n, String what, Set<String> allowed) {
      if (!(n instanceof MappingNode m)) {
        problems.add(n, what + " must be a mapping");
        return null;
      }
      Map<String, NodeTuple> out = new LinkedHashMap<>();
      for (NodeTuple t : m.getValue()) {
        String key = scalar(t.getKeyNode(), "a key");
        if (key == null) continue;
        if (!allowed.contains(key)) {
          problems.add(t.getKeyNode(), "unknown key '" + key + "' in " + what + " (known: " + String.join(", ", new java.util.TreeSet<>(allowed)) + ")");
          continue;
        }
        if (out.containsKey(key)) {
          problems.add(t.getKeyNode(), "duplicate key '" + key + "' in " + what);
          continue;
        }
        out.put(key, t);
      }
      return out;
    }

    private String scalar(Node n, String what) {
      if (n instanceof ScalarNode s && !s.getTag().equals(Tag.NULL)) return s.getValue();
      problems.add(n, what + " must be a single value, got " + show(n));
      return null;
    }
  }

  private static boolean isNull(Node n) {
    return n instanceof ScalarNode s && s.getTag().equals(Tag.NULL);
  }

  private static String show(Node n) {
    if (n instanceof ScalarNode s) return s.getTag().equals(Tag.NULL) ? "nothing" : "'" + s.getValue() + "'";
    if (n instanceof SequenceNode) return "a list";
    if (n instanceof MappingNode) return "a mapping";
    return "something else";
  }

  /** A YAML value as plain Java: Long, Double, Boolean, String, null, List, Map. */
  static Object value(Node n) {
    if (n instanceof ScalarNode s) {
      Tag t = s.getTag();
      String v = s.getValue();
      try {
        if (t.equals(Tag.NULL)) return null;
        if (t.equals(Tag.BOOL)) return Boolean.parseBoolean(v);
        if (t.equals(Tag.INT)) return Long.decode(v);
        if (t.equals(Tag.FLOAT)) return Double.parseDouble(v);
      } catch (NumberFormatException e) {
        return v;
      }
      return v;
    }
    if (n instanceof SequenceNode seq) {
      List<Object> out = new ArrayList<>();
      seq.getValue().forEach(i -> out.add(value(i)));
      return out;
    }
    if (n instanceof MappingNode m) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (NodeTuple t : m.getValue()) {
        out.put(t.getKeyNode() instanceof ScalarNode k ? k.getValue() : String.valueOf(value(t.getKeyNode())), value(t.getValueNode()));
      }
      return out;
    }
    return null;
  }

  /** Problems found so far, with positions taken from YAML nodes. */
  private static final class Problems {
    private final String label;
    private final List<GraphProblem> list = new ArrayList<>();

    Problems(String label) {
      this.label = label;
    }

    SourcePosition position(Node n) {
      if (n == null) return new SourcePosition(label, 1, 1);
      return n.getStartMark().map(m -> new SourcePosition(label, m.getLine() + 1, m.getColumn() + 1))
          .orElse(new SourcePosition(label, 1, 1));
    }

    void add(Node n, String message) {
      list.add(new GraphProblem(position(n), message));
    }

    void add(int line, int column, String message) {
      list.add(new GraphProblem(new SourcePosition(label, line, column), message));
    }

    boolean isEmpty() {
      return list.isEmpty();
    }

    /** Every problem so far, in file order. */
    GraphException exception() {
      List<GraphProblem> sorted = new ArrayList<>(list);
      sorted.sort(java.util.Comparator.comparingInt((GraphProblem p) -> p.position().line())
          .thenComparingInt(p -> p.position().column()));
      return new GraphException(sorted);
    }
  }
}
