package io.wavegraph.compiler;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Checks a workflow against the subset of the Cloud Workflows syntax the compiler emits: the
 * subworkflow map with {@code main}, step shapes, known step keys, {@code next} targets, calls to
 * subworkflows, standard library functions and connectors (with their required arguments),
 * expression syntax and the functions used in them, {@code parallel} limits, and the 128 KB source
 * limit. Returns the problems found; empty when the workflow passes.
 */
public final class WorkflowCheck {
  static final int MAX_SOURCE_BYTES = 128 * 1024;
  static final int MAX_CONCURRENT_BRANCHES = 20;
  static final int MAX_BRANCHES = 10;
  private static final Set<String> STEP_KEYS = Set.of("assign", "call", "args", "result", "switch", "for", "parallel",
      "return", "raise", "next", "try", "retry", "except", "steps");
  private static final Map<String, List<String>> CONNECTORS = Map.of(
      "googleapis.pubsub.v1.projects.topics.publish", List.of("topic", "body"),
      "googleapis.pubsub.v1.projects.subscriptions.pull", List.of("subscription", "body"),
      "googleapis.pubsub.v1.projects.subscriptions.acknowledge", List.of("subscription", "body"),
      "googleapis.pubsub.v1.projects.subscriptions.modifyAckDeadline", List.of("subscription", "body"),
      "googleapis.storage.v1.objects.insert", List.of("bucket", "name", "body"),
      "googleapis.storage.v1.objects.list", List.of("bucket"),
      "googleapis.firestore.v1.projects.databases.documents.get", List.of("name"),
      "googleapis.run.v2.projects.locations.jobs.run", List.of("name"));
  private static final Set<String> STDLIB_CALLS = Set.of("sys.log", "sys.sleep", "http.get", "http.post");
  private static final Set<String> EXPRESSION_FUNCTIONS = Set.of("default", "map.get", "get_type", "len", "not", "string",
      "int", "double", "keys", "list.concat", "json.encode", "json.decode", "json.encode_to_string", "base64.encode",
      "base64.decode", "hash.compute_checksum", "text.encode", "text.replace_all", "text.url_encode", "text.replace_all_regex", "text.match_regex", "text.substring", "time.format", "time.parse", "sys.now", "sys.get_env", "if");
  private static final Pattern FUNCTION_USE = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*(?:\\.[A-Za-z_][A-Za-z0-9_]*)*)\\s*\\(");

  private WorkflowCheck() {}

  @SuppressWarnings("unchecked")
  public static List<String> check(String name, String source) {
    List<String> problems = new ArrayList<>();
    if (source.getBytes(StandardCharsets.UTF_8).length > MAX_SOURCE_BYTES) problems.add(name + ": source over 128 KB");
    Object doc;
    try {
      doc = new Load(LoadSettings.builder().build()).loadFromString(source);
    } catch (RuntimeException e) {
      problems.add(name + ": not YAML: " + e.getMessage());
      return problems;
    }
    if (!(doc instanceof Map<?, ?> subs) || !subs.containsKey("main")) {
      problems.add(name + ": a workflow with subworkflows must be a map with 'main'");
      return problems;
    }
    Set<String> subNames = new HashSet<>((Set<String>) subs.keySet());
    for (var e : ((Map<String, Object>) subs).entrySet()) {
      String where = name + ": " + e.getKey();
      if (!(e.getValue() instanceof Map<?, ?> sub) || !(sub.get("steps") instanceof List<?> steps)) {
        problems.add(where + ": a subworkflow needs 'steps'");
        continue;
      }
      for (Object k : sub.keySet()) if (!k.equals("steps") && !k.equals("params")) problems.add(where + ": unknown key '" + k + "'");
      if (sub.containsKey("params") && !(sub.get("params") instanceof List<?>)) problems.add(where + ": 'params' must be a list");
      new Checker(where, subNames, problems).steps((List<Object>) steps, new ArrayList<>());
    }
    return problems;
  }

  private static final class Checker {
    private final String where;
    private final Set<String> subworkflows;
    private final List<String> problems;
    private final Set<String> allNames = new HashSet<>();
    private final List<String> nexts = new ArrayList<>();

    Checker(String where, Set<String> subworkflows, List<String> problems) {
      this.where = where;
      this.subworkflows = subworkflows;
      this.problems = problems;
    }

    @SuppressWarnings("unchecked")
    void steps(List<Object> steps, List<String> path) {
      boolean top = path.isEmpty();
      for (Object s : steps) {
        if (!(s instanceof Map<?, ?> m) || m.size() != 1) {
          problems.add(where + ": a step must be a map with one name: " + s);
          continue;
        }
        var e = ((Map<String, Object>) m).entrySet().iterator().next();
        if (!allNames.add(e.getKey())) problems.add(where + ": duplicate step name '" + e.getKey() + "'");
        if (!(e.getValue() instanceof Map<?, ?> body)) {
          problems.add(where + "." + e.getKey() + ": a step body must be a map");
          continue;
        }
        body(e.getKey(), (Map<String, Object>) body);
      }
      if (top) {
        for (String n : nexts) {
          if (!allNames.contains(n) && !Set.of("end", "break", "continue").contains(n)) problems.add(where + ": 'next' to unknown step '" + n + "'");
        }
      }
    }

    @SuppressWarnings("unchecked")
    void body(String step, Map<String, Object> b) {
      String at = where + "." + step;
      for (String k : b.keySet()) if (!STEP_KEYS.contains(k)) problems.add(at + ": unknown step key '" + k + "'");
      if (b.containsKey("args") && !b.containsKey("call")) problems.add(at + ": 'args' without 'call'");
      if (b.get("next") instanceof String n) nexts.add(n);
      if (b.get("assign") instanceof List<?> as) {
        for (Object a : as) {
          if (!(a instanceof Map<?, ?> am) || am.size() != 1) problems.add(at + ": each assignment is a map with one variable");
          else expressions(at, am.values().iterator().next());
        }
      } else if (b.containsKey("assign")) problems.add(at + ": 'assign' must be a list");
      if (b.containsKey("call")) call(at, String.valueOf(b.get("call")), b.get("args"));
      else if (b.containsKey("args")) expressions(at, b.get("args"));
      if (b.containsKey("return")) expressions(at, b.get("return"));
      if (b.containsKey("raise")) expressions(at, b.get("raise"));
      if (b.containsKey("switch")) {
        if (!(b.get("switch") instanceof List<?> conds)) problems.add(at + ": 'switch' must be a list");
        else for (Object c : conds) {
          if (!(c instanceof Map<?, ?> cm) || !cm.containsKey("condition")) {
            problems.add(at + ": each switch entry needs 'condition'");
            continue;
          }
          expressions(at, cm.get("condition"));
          Map<String, Object> rest = new java.util.LinkedHashMap<>((Map<String, Object>) cm);
          rest.remove("condition");
          if (rest.isEmpty()) problems.add(at + ": a switch condition needs next, steps, return, raise or assign");
          body(step, rest);
        }
      }
      if (b.get("steps") instanceof List<?> inner) steps((List<Object>) inner, List.of(step));
      if (b.containsKey("for")) forLoop(at, b.get("for"));
      if (b.containsKey("parallel")) {
        if (!(b.get("parallel") instanceof Map<?, ?> p)) problems.add(at + ": 'parallel' must be a map");
        else {
          for (Object k : p.keySet()) if (!Set.of("shared", "concurrency_limit", "exception_policy", "for", "branches").contains(k)) problems.add(at + ": unknown parallel key '" + k + "'");
          if (p.get("concurrency_limit") instanceof Number n && n.intValue() > MAX_CONCURRENT_BRANCHES) problems.add(at + ": concurrency_limit over " + MAX_CONCURRENT_BRANCHES);
          if (p.containsKey("for") == p.containsKey("branches")) problems.add(at + ": 'parallel' needs either 'for' or 'branches'");
          if (p.containsKey("for")) forLoop(at, p.get("for"));
          if (p.containsKey("branches")) branches(at, p.get("branches"));
        }
      }
      if (b.containsKey("try")) {
        if (b.get("try") instanceof Map<?, ?> t) body(step, (Map<String, Object>) t);
        if (b.get("except") instanceof Map<?, ?> ex && ex.get("steps") instanceof List<?> es) steps((List<Object>) es, List.of(step));
      }
    }

    /** {@code branches}: a list of one-name maps, each with {@code steps}; Workflows runs at most 10. */
    @SuppressWarnings("unchecked")
    private void branches(String at, Object b) {
      if (!(b instanceof List<?> list) || list.isEmpty()) {
        problems.add(at + ": 'branches' must be a non-empty list");
        return;
      }
      if (list.size() > MAX_BRANCHES) problems.add(at + ": more than " + MAX_BRANCHES + " branches");
      for (Object o : list) {
        if (!(o instanceof Map<?, ?> m) || m.size() != 1 || !(m.values().iterator().next() instanceof Map<?, ?> body)
            || !(body.get("steps") instanceof List<?> inner)) {
          problems.add(at + ": each branch is a map of one name to its steps");
          continue;
        }
        String name = String.valueOf(m.keySet().iterator().next());
        if (!allNames.add(name)) problems.add(where + ": duplicate step name '" + name + "'");
        steps((List<Object>) inner, List.of(at));
      }
    }

    @SuppressWarnings("unchecked")
    private void forLoop(String at, Object f) {
      if (!(f instanceof Map<?, ?> fm) || !fm.containsKey("value") || !(fm.containsKey("in") || fm.containsKey("range")) || !(fm.get("steps") instanceof List<?>)) {
        problems.add(at + ": 'for' needs value, in (or range) and steps");
        return;
      }
      expressions(at, fm.get("in"));
      expressions(at, fm.get("range"));
      steps((List<Object>) fm.get("steps"), List.of(at));
    }

    private void call(String at, String fn, Object args) {
      if (subworkflows.contains(fn)) {
        // arguments are checked against the callee's params below
      } else if (CONNECTORS.containsKey(fn)) {
        if (!(args instanceof Map<?, ?> a)) problems.add(at + ": connector " + fn + " needs args");
        else for (String req : CONNECTORS.get(fn)) if (!a.containsKey(req)) problems.add(at + ": connector " + fn + " needs argument '" + req + "'");
      } else if (!STDLIB_CALLS.contains(fn)) {
        problems.add(at + ": call to unknown function or connector '" + fn + "'");
      }
      expressions(at, args);
    }

    private void expressions(String at, Object v) {
      if (v instanceof String s) expression(at, s);
      else if (v instanceof Map<?, ?> m) m.values().forEach(x -> expressions(at, x));
      else if (v instanceof List<?> l) l.forEach(x -> expressions(at, x));
    }

    private void expression(String at, String s) {
      if (!s.contains("${")) return;
      if (!s.startsWith("${") || !s.endsWith("}")) {
        problems.add(at + ": an expression must be the whole value: " + s);
        return;
      }
      String inner = s.substring(2, s.length() - 1);
      int depth = 0;
      boolean quoted = false;
      StringBuilder code = new StringBuilder();
      for (int i = 0; i < inner.length(); i++) {
        char c = inner.charAt(i);
        if (quoted) {
          if (c == '\\') i++;
          else if (c == '"') quoted = false;
          continue;
        }
        if (c == '"') quoted = true;
        else if ("([{".indexOf(c) >= 0) depth++;
        else if (")]}".indexOf(c) >= 0) depth--;
        if (depth < 0) break;
        code.append(c);
      }
      if (quoted || depth != 0) {
        problems.add(at + ": unbalanced expression: " + s);
        return;
      }
      Matcher m = FUNCTION_USE.matcher(code);
      while (m.find()) {
        if (!EXPRESSION_FUNCTIONS.contains(m.group(1)) && !Set.of("and", "or", "in").contains(m.group(1))) {
          problems.add(at + ": unknown function '" + m.group(1) + "' in " + s);
        }
      }
    }
  }
}
