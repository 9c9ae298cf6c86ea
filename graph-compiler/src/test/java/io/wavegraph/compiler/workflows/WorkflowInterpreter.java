package io.wavegraph.compiler.workflows;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Runs a workflow of the subset the compiler emits: subworkflows with {@code params}; steps with
 * {@code assign}, {@code call} (subworkflows and {@link Connectors}), {@code switch}, {@code for}
 * ({@code in} or {@code range}), {@code parallel for} with {@code shared} and
 * {@code concurrency_limit}, {@code parallel branches} (each branch on its own thread, so a branch
 * that loops until another sets a shared flag behaves as in Workflows), {@code try}/{@code except},
 * {@code raise}, {@code return},
 * {@code next} and nested {@code steps}. Anything else throws {@link Unsupported}.
 */
public final class WorkflowInterpreter {
  private static final Set<String> STEP_KEYS = Set.of("assign", "call", "args", "result", "switch", "for", "parallel",
      "try", "except", "raise", "return", "next", "steps");
  private static final Set<String> CONDITION_KEYS = Set.of("condition", "steps", "next", "return", "raise");

  /** What a step did: go on, jump ({@code next}: a step name, continue, break, end) or return. */
  private record Flow(String jump, boolean returned, Object value) {
    static final Flow NORMAL = new Flow(null, false, null);

    static Flow jump(String target) {
      return new Flow(target, false, null);
    }

    static Flow ret(Object v) {
      return new Flow(null, true, v);
    }

    boolean normal() {
      return jump == null && !returned;
    }
  }

  private final Map<String, Object> subworkflows;
  private final StandardLibrary stdlib;
  private final Connectors connectors;
  private final Map<String, Expression.Node> parsed = new ConcurrentHashMap<>();
  /** Workflows makes each assignment atomic; parallel branches share variables through it. */
  private final Object assignLock = new Object();

  @SuppressWarnings("unchecked")
  public WorkflowInterpreter(String yaml, StandardLibrary stdlib, Connectors connectors) {
    this.subworkflows = (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(yaml);
    this.stdlib = stdlib;
    this.connectors = connectors;
  }

  /** Runs {@code main} with its one parameter; returns what it returns. */
  public Object run(Object args) {
    return callSubworkflow("main", args == null ? Map.of() : Map.of(params("main").get(0), Values.copy(args)));
  }

  /** Runs the subworkflow {@code name} with {@code args} (by parameter name); returns what it returns. */
  public Object call(String name, Map<String, Object> args) {
    if (!subworkflows.containsKey(name)) throw new Unsupported("no subworkflow " + name);
    return callSubworkflow(name, args);
  }

  // --- subworkflows and steps ---------------------------------------------------------------

  private List<String> params(String name) {
    Map<String, Object> sub = Values.map(subworkflows.get(name));
    List<String> out = new ArrayList<>();
    for (Object p : (List<?>) sub.getOrDefault("params", List.of())) {
      if (!(p instanceof String s)) throw new Unsupported("parameter with a default in " + name);
      out.add(s);
    }
    return out;
  }

  private Object callSubworkflow(String name, Map<String, Object> args) {
    Scope scope = Scope.root();
    List<String> params = params(name);
    for (String a : args.keySet()) if (!params.contains(a)) throw new Unsupported("argument '" + a + "' not a parameter of " + name);
    for (String p : params) {
      if (!args.containsKey(p)) throw new Unsupported("missing argument '" + p + "' of " + name);
      scope.define(p, Values.copy(args.get(p)));
    }
    Flow f = steps(Values.list(Values.map(subworkflows.get(name)).get("steps")), scope);
    if (f.returned) return f.value;
    if (f.jump != null && !f.jump.equals("end")) throw new Unsupported("next: " + f.jump + " leaves subworkflow " + name);
    return null;
  }

  private Flow steps(List<Object> steps, Scope scope) {
    List<String> names = new ArrayList<>();
    for (Object s : steps) names.add(single(s).getKey());
    int i = 0;
    while (i < steps.size()) {
      Map.Entry<String, Object> s = single(steps.get(i));
      Flow f = step(s.getKey(), Values.map(s.getValue()), scope);
      if (f.normal()) {
        i++;
      } else if (f.jump != null && names.contains(f.jump)) {
        i = names.indexOf(f.jump);
      } else {
        return f;
      }
    }
    return Flow.NORMAL;
  }

  private Flow step(String name, Map<String, Object> body, Scope scope) {
    for (String k : body.keySet()) if (!STEP_KEYS.contains(k)) throw new Unsupported("step key '" + k + "' in " + name);
    Flow f = Flow.NORMAL;
    if (body.containsKey("assign")) assign(Values.list(body.get("assign")), scope);
    else if (body.containsKey("call")) call(body, scope);
    else if (body.containsKey("switch")) f = switchStep(Values.list(body.get("switch")), scope);
    else if (body.containsKey("for")) f = forStep(Values.map(body.get("for")), scope);
    else if (body.containsKey("parallel")) parallel(Values.map(body.get("parallel")), scope);
    else if (body.containsKey("try")) f = tryStep(body, scope);
    else if (body.containsKey("raise")) throw new WorkflowError(eval(body.get("raise"), scope));
    else if (body.containsKey("return")) return Flow.ret(eval(body.get("return"), scope));
    else if (body.containsKey("steps")) f = steps(Values.list(body.get("steps")), scope);
    else if (!body.containsKey("next")) throw new Unsupported("step " + name + " does nothing: " + body.keySet());
    if (f.normal() && body.containsKey("next")) return Flow.jump(Values.text(body.get("next")));
    return f;
  }

  private void assign(List<Object> items, Scope scope) {
    for (Object item : items) {
      Map.Entry<String, Object> a = single(item);
      synchronized (assignLock) {
        write(a.getKey(), Values.copy(eval(a.getValue(), scope)), scope);
      }
    }
  }

  /** Writes to {@code name}, {@code a.b} or {@code a[expr]}: the variable is found, then the path walked in place. */
  private void write(String target, Object value, Scope scope) {
    Expression.Node n = parsed.computeIfAbsent("target:" + target, t -> Expression.parse(target));
    if (n instanceof Expression.Var v) {
      scope.assign(v.name(), value);
      return;
    }
    if (!(n instanceof Expression.Index idx)) throw new Unsupported("assignment target " + target);
    Expression.Node root = idx;
    while (root instanceof Expression.Index i) root = i.target();
    if (!(root instanceof Expression.Var rv)) throw new Unsupported("assignment target " + target);
    scope.owner(rv.name()); // checks a parallel branch may write it
    Object container = idx.target().eval(env(scope));
    Object key = idx.key().eval(env(scope));
    if (container instanceof Map<?, ?>) Values.map(container).put(Values.text(key), value);
    else if (container instanceof List<?> && key instanceof Long i) Values.list(container).set(i.intValue(), value);
    else throw WorkflowError.of("TypeError", "cannot assign into " + Values.type(container));
  }

  private void call(Map<String, Object> body, Scope scope) {
    String target = Values.text(body.get("call"));
    Map<String, Object> args = body.containsKey("args") ? Values.map(eval(body.get("args"), scope)) : Map.of();
    Object result;
    if (subworkflows.containsKey(target)) result = callSubworkflow(target, args);
    else if (connectors.has(target)) result = connectors.call(target, args);
    else throw new Unsupported("call " + target);
    if (body.containsKey("result")) synchronized (assignLock) {
      scope.assign(Values.text(body.get("result")), Values.copy(result));
    }
  }

  private Flow switchStep(List<Object> conditions, Scope scope) {
    for (Object c : conditions) {
      Map<String, Object> cond = Values.map(c);
      for (String k : cond.keySet()) if (!CONDITION_KEYS.contains(k)) throw new Unsupported("switch key '" + k + "'");
      if (!Values.truthy(eval(cond.get("condition"), scope))) continue;
      if (cond.containsKey("steps")) {
        Flow f = steps(Values.list(cond.get("steps")), scope);
        if (!f.normal()) return f;
      }
      if (cond.containsKey("raise")) throw new WorkflowError(eval(cond.get("raise"), scope));
      if (cond.containsKey("return")) return Flow.ret(eval(cond.get("return"), scope));
      if (cond.containsKey("next")) return Flow.jump(Values.text(cond.get("next")));
      return Flow.NORMAL;
    }
    return Flow.NORMAL;
  }

  private List<Object> loopValues(Map<String, Object> loop, Scope scope) {
    for (String k : loop.keySet()) {
      if (!Set.of("value", "in", "range", "steps").contains(k)) throw new Unsupported("for key '" + k + "'");
    }
    if (loop.containsKey("in")) return new ArrayList<>(Values.list(eval(loop.get("in"), scope)));
    List<Object> range = Values.list(eval(loop.get("range"), scope));
    List<Object> out = new ArrayList<>();
    for (long i = (Long) range.get(0); i <= (Long) range.get(1); i++) out.add(i);
    return out;
  }

  private Flow forStep(Map<String, Object> loop, Scope scope) {
    String var = Values.text(loop.get("value"));
    for (Object v : loopValues(loop, scope)) {
      Scope it = scope.child();
      it.define(var, v);
      Flow f = steps(Values.list(loop.get("steps")), it);
      if (f.returned) return f;
      if ("break".equals(f.jump)) break;
      if (f.jump != null && !f.jump.equals("continue")) return f;
    }
    return Flow.NORMAL;
  }

  private void parallel(Map<String, Object> p, Scope scope) {
    for (String k : p.keySet()) {
      if (!Set.of("shared", "concurrency_limit", "for", "branches").contains(k)) throw new Unsupported("parallel key '" + k + "'");
    }
    if (p.containsKey("for") == p.containsKey("branches")) throw new Unsupported("parallel needs either 'for' or 'branches'");
    Set<String> shared = new HashSet<>();
    for (Object s : (List<?>) p.getOrDefault("shared", List.of())) {
      String name = (String) s;
      scope.get(name); // Workflows refuses a shared variable not declared before the parallel step
      shared.add(name);
    }
    int limit = ((Number) p.getOrDefault("concurrency_limit", 20)).intValue();
    List<java.util.concurrent.Callable<Flow>> work = new ArrayList<>();
    if (p.containsKey("branches")) {
      List<Object> named = Values.list(p.get("branches"));
      if (named.size() > 10) throw new Unsupported("more than 10 branches");
      for (Object o : named) {
        List<Object> branchSteps = Values.list(Values.map(single(o).getValue()).get("steps"));
        work.add(() -> steps(branchSteps, scope.branch(shared)));
      }
    } else {
      Map<String, Object> loop = Values.map(p.get("for"));
      String var = Values.text(loop.get("value"));
      for (Object v : loopValues(loop, scope)) {
        work.add(() -> {
          Scope b = scope.branch(shared);
          b.define(var, v);
          return steps(Values.list(loop.get("steps")), b);
        });
      }
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(limit, work.size())));
    try {
      // As branches finish: the first unhandled error stops the others and is raised, as Workflows does.
      java.util.concurrent.CompletionService<Flow> done = new java.util.concurrent.ExecutorCompletionService<>(pool);
      for (var w : work) done.submit(w);
      for (int n = 0; n < work.size(); n++) {
        Flow flow = done.take().get();
        if (flow.returned || (flow.jump != null && !flow.jump.equals("continue"))) {
          throw new Unsupported("return or next: " + flow.jump + " out of a parallel branch");
        }
      }
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) throw r;
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      pool.shutdownNow();
    }
  }

  private Flow tryStep(Map<String, Object> body, Scope scope) {
    Map<String, Object> except = Values.map(body.get("except"));
    if (body.containsKey("retry")) throw new Unsupported("retry");
    Map<String, Object> tried = Values.map(body.get("try"));
    try {
      return step("try", tried, scope);
    } catch (WorkflowError e) {
      synchronized (assignLock) {
        scope.assign(Values.text(except.get("as")), Values.copy(e.value));
      }
      return steps(Values.list(except.get("steps")), scope);
    }
  }

  // --- values -------------------------------------------------------------------------------

  /** A YAML value with every {@code ${...}} string evaluated. */
  private Object eval(Object v, Scope scope) {
    if (v instanceof String s) {
      if (s.startsWith("${") && s.endsWith("}")) {
        return parsed.computeIfAbsent(s, t -> Expression.parse(t.substring(2, t.length() - 1))).eval(env(scope));
      }
      if (s.contains("${")) throw new Unsupported("an expression inside a longer string: " + s);
      return s;
    }
    if (v instanceof Map<?, ?> m) {
      Map<String, Object> out = new java.util.LinkedHashMap<>();
      for (var e : Values.map(m).entrySet()) out.put(e.getKey(), Values.copy(eval(e.getValue(), scope)));
      return out;
    }
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      for (Object x : l) out.add(Values.copy(eval(x, scope)));
      return out;
    }
    return Values.copy(v);
  }

  private Expression.Env env(Scope scope) {
    return new Expression.Env() {
      public Object variable(String name) {
        // Under the assignment lock, so a branch sees what another branch assigned.
        synchronized (assignLock) {
          return scope.get(name);
        }
      }

      public Object call(String function, List<Object> args) {
        return stdlib.call(function, args);
      }
    };
  }

  private static Map.Entry<String, Object> single(Object step) {
    Map<String, Object> m = Values.map(step);
    if (m.size() != 1) throw new Unsupported("a step must be a map of one name: " + m.keySet());
    return m.entrySet().iterator().next();
  }
}
