package io.wavegraph.compiler.workflows;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Workflow values as Java objects: null, Boolean, Long, Double, String, byte[], List, Map (insertion
 * ordered). Workflows copies values on assignment, so {@link #copy} is applied wherever a value is stored.
 */
final class Values {
  private Values() {}

  @SuppressWarnings("unchecked")
  static Object copy(Object v) {
    if (v instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      ((Map<String, Object>) m).forEach((k, x) -> out.put(k, copy(x)));
      return out;
    }
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      for (Object x : l) out.add(copy(x));
      return out;
    }
    if (v instanceof Integer i) return (long) i;
    if (v instanceof Float f) return (double) f;
    return v;
  }

  static String type(Object v) {
    if (v == null) return "null";
    if (v instanceof Boolean) return "boolean";
    if (v instanceof Long) return "integer";
    if (v instanceof Double) return "double";
    if (v instanceof String) return "string";
    if (v instanceof byte[]) return "bytes";
    if (v instanceof List) return "list";
    if (v instanceof Map) return "map";
    throw new Unsupported("a value of Java type " + v.getClass().getName());
  }

  static boolean truthy(Object v) {
    if (v instanceof Boolean b) return b;
    throw WorkflowError.of("TypeError", "expected a boolean, got " + type(v));
  }

  static boolean equal(Object a, Object b) {
    if (a instanceof Number x && b instanceof Number y) return x.doubleValue() == y.doubleValue();
    if (a instanceof byte[] x && b instanceof byte[] y) return java.util.Arrays.equals(x, y);
    return java.util.Objects.equals(a, b);
  }

  static String text(Object v) {
    if (v instanceof String s) return s;
    throw WorkflowError.of("TypeError", "expected a string, got " + type(v));
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object v) {
    if (v instanceof Map<?, ?> m) return (Map<String, Object>) m;
    throw WorkflowError.of("TypeError", "expected a map, got " + type(v));
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object v) {
    if (v instanceof List<?> l) return (List<Object>) l;
    throw WorkflowError.of("TypeError", "expected a list, got " + type(v));
  }
}
