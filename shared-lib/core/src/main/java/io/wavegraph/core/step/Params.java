package io.wavegraph.core.step;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A step's parameters as the graph gives them (YAML scalars, lists, maps), with typed getters
 * that say what is wrong in terms a graph author understands. It remembers which parameters were
 * read, so that one the step does not know is reported instead of silently ignored.
 */
public final class Params {
  private final Map<String, Object> values;
  private final Set<String> read = Collections.synchronizedSet(new LinkedHashSet<>());

  public Params(Map<String, ?> values) {
    this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
  }

  /**
   * A value given as text (a command line's {@code name=value}) as the graph file would give it: a
   * whole number, else a number, else the text.
   */
  public static Object valueOf(String text) {
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      try {
        return Double.parseDouble(text);
      } catch (NumberFormatException e2) {
        return text;
      }
    }
  }

  public static Params empty() {
    return new Params(Map.of());
  }

  /** The values as given, in the graph's order. */
  public Map<String, Object> asMap() {
    return values;
  }

  /** The values with keys sorted at every level: the basis of the step version's hash. */
  public Map<String, Object> canonical() {
    return sorted(values);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> sorted(Map<String, ?> m) {
    Map<String, Object> out = new TreeMap<>();
    m.forEach((k, v) -> out.put(k, v instanceof Map<?, ?> inner ? sorted((Map<String, ?>) inner) : v));
    return out;
  }

  public boolean has(String name) {
    read.add(name);
    return values.containsKey(name) && values.get(name) != null;
  }

  /** Given parameters that no getter asked for. */
  public Set<String> unread() {
    Set<String> out = new LinkedHashSet<>(values.keySet());
    out.removeAll(read);
    return out;
  }

  public String getString(String name, String dflt) throws BadParameterException {
    Object v = raw(name);
    if (v == null) return dflt;
    if (v instanceof Map<?, ?> || v instanceof List<?>) throw new BadParameterException(name, "must be a single value, got " + describe(v));
    return v.toString();
  }

  public long getLong(String name, long dflt, long min, long max) throws BadParameterException {
    Object v = raw(name);
    if (v == null) return dflt;
    long n;
    if (v instanceof Number num && (v instanceof Long || v instanceof Integer)) {
      n = num.longValue();
    } else if (v instanceof Double d && d == Math.rint(d) && !d.isInfinite()) {
      n = d.longValue();
    } else {
      throw new BadParameterException(name, "must be an integer, got " + describe(v));
    }
    if (n < min || n > max) {
      throw new BadParameterException(name, "must be between " + min + " and " + max + ", got " + n);
    }
    return n;
  }

  public int getInt(String name, int dflt, int min, int max) throws BadParameterException {
    return (int) getLong(name, dflt, min, max);
  }

  public double getDouble(String name, double dflt, double min, double max) throws BadParameterException {
    Object v = raw(name);
    if (v == null) return dflt;
    if (!(v instanceof Number num)) throw new BadParameterException(name, "must be a number, got " + describe(v));
    double d = num.doubleValue();
    if (!(d >= min && d <= max)) {
      throw new BadParameterException(name, "must be between " + min + " and " + max + ", got " + d);
    }
    return d;
  }

  public boolean getBoolean(String name, boolean dflt) throws BadParameterException {
    Object v = raw(name);
    if (v == null) return dflt;
    if (!(v instanceof Boolean b)) throw new BadParameterException(name, "must be true or false, got " + describe(v));
    return b;
  }

  /** One of {@code allowed}, as given. */
  public String getChoice(String name, String dflt, List<String> allowed) throws BadParameterException {
    String s = getString(name, dflt);
    if (s != null && !allowed.contains(s)) {
      throw new BadParameterException(name, "must be one of " + String.join(", ", allowed) + ", got '" + s + "'");
    }
    return s;
  }

  private Object raw(String name) {
    read.add(name);
    return values.get(name);
  }

  private static String describe(Object v) {
    if (v instanceof String s) return "'" + s + "'";
    if (v instanceof Map<?, ?>) return "a map";
    if (v instanceof List<?>) return "a list";
    return String.valueOf(v);
  }

  @Override
  public String toString() {
    return values.toString();
  }
}
