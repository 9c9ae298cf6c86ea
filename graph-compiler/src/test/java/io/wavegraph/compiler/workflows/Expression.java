package io.wavegraph.compiler.workflows;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The expression language inside {@code ${...}}, as far as the compiler emits it: literals (numbers,
 * strings, true/false/null, lists, maps), variables, {@code .}/{@code []} access, {@code + - * / %},
 * comparisons, {@code and or in}, and calls of (dotted) function names. Parsed into a tree once.
 */
final class Expression {
  /** What an expression reads: variables and functions. */
  interface Env {
    Object variable(String name);

    Object call(String function, List<Object> args);
  }

  /** A parsed expression. */
  interface Node {
    Object eval(Env env);
  }

  record Var(String name) implements Node {
    public Object eval(Env env) {
      return env.variable(name);
    }
  }

  record Literal(Object value) implements Node {
    public Object eval(Env env) {
      return value;
    }
  }

  /** {@code target.key} or {@code target[key]}: a missing key is a KeyError, as in Workflows. */
  record Index(Node target, Node key) implements Node {
    public Object eval(Env env) {
      Object t = target.eval(env);
      Object k = key.eval(env);
      if (t instanceof Map<?, ?> m) {
        String name = Values.text(k);
        if (!m.containsKey(name)) throw WorkflowError.of("KeyError", "key not found: " + name);
        return m.get(name);
      }
      if (t instanceof List<?> l && k instanceof Long i) {
        if (i < 0 || i >= l.size()) throw WorkflowError.of("IndexError", "index " + i + " out of range");
        return l.get(i.intValue());
      }
      throw WorkflowError.of("TypeError", "cannot index " + Values.type(t) + " with " + Values.type(k));
    }
  }

  record Call(String function, List<Node> args) implements Node {
    public Object eval(Env env) {
      List<Object> values = new ArrayList<>();
      for (Node a : args) values.add(a.eval(env));
      return env.call(function, values);
    }
  }

  record ListOf(List<Node> items) implements Node {
    public Object eval(Env env) {
      List<Object> out = new ArrayList<>();
      for (Node n : items) out.add(Values.copy(n.eval(env)));
      return out;
    }
  }

  record MapOf(Map<String, Node> entries) implements Node {
    public Object eval(Env env) {
      Map<String, Object> out = new LinkedHashMap<>();
      entries.forEach((k, n) -> out.put(k, Values.copy(n.eval(env))));
      return out;
    }
  }

  record Unary(String op, Node operand) implements Node {
    public Object eval(Env env) {
      Object v = operand.eval(env);
      if (v instanceof Long l) return -l;
      if (v instanceof Double d) return -d;
      throw WorkflowError.of("TypeError", "cannot negate " + Values.type(v));
    }
  }

  record Binary(String op, Node left, Node right) implements Node {
    public Object eval(Env env) {
      // and / or short-circuit, as in Workflows.
      if (op.equals("and")) return Values.truthy(left.eval(env)) && Values.truthy(right.eval(env));
      if (op.equals("or")) return Values.truthy(left.eval(env)) || Values.truthy(right.eval(env));
      return Operators.apply(op, left.eval(env), right.eval(env));
    }
  }

  private Expression() {}

  /** Parses the text between {@code ${} and {@code }}. */
  static Node parse(String text) {
    ExpressionParser p = new ExpressionParser(text);
    return p.parseAll();
  }
}
