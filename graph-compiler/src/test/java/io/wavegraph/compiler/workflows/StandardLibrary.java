package io.wavegraph.compiler.workflows;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The functions of the Workflows standard library that the emitted expressions use, with the
 * argument checks Workflows makes. Anything else is {@link Unsupported}.
 */
final class StandardLibrary {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final VirtualClock clock;
  private final Map<String, String> env;
  private final Map<String, Function<List<Object>, Object>> functions = new java.util.HashMap<>();

  StandardLibrary(VirtualClock clock, Map<String, String> env) {
    this.clock = clock;
    this.env = env;
    define("default", 2, a -> a.get(0) == null ? a.get(1) : a.get(0));
    define("if", 3, a -> Values.truthy(a.get(0)) ? a.get(1) : a.get(2));
    define("not", 1, a -> !Values.truthy(a.get(0)));
    define("get_type", 1, a -> Values.type(a.get(0)));
    define("len", 1, StandardLibrary::len);
    define("keys", 1, a -> new ArrayList<Object>(Values.map(a.get(0)).keySet()));
    define("string", 1, a -> a.get(0) instanceof String s ? s : String.valueOf(a.get(0)));
    define("int", 1, a -> a.get(0) instanceof String s ? Long.parseLong(s) : ((Number) a.get(0)).longValue());
    define("double", 1, a -> a.get(0) instanceof String s ? Double.parseDouble(s) : ((Number) a.get(0)).doubleValue());
    define("map.get", 2, StandardLibrary::mapGet);
    define("list.concat", 2, a -> {
      List<Object> out = new ArrayList<>(Values.list(a.get(0)));
      out.add(Values.copy(a.get(1)));
      return out;
    });
    define("json.encode", 1, a -> json(a.get(0)).getBytes(StandardCharsets.UTF_8));
    define("json.encode_to_string", 1, a -> json(a.get(0)));
    define("json.decode", 1, a -> decode(a.get(0)));
    define("base64.encode", 1, a -> Base64.getEncoder().encodeToString(bytes(a.get(0))));
    define("base64.decode", 1, a -> Base64.getDecoder().decode(Values.text(a.get(0))));
    define("hash.compute_checksum", 2, StandardLibrary::checksum);
    define("text.encode", 1, a -> Values.text(a.get(0)).getBytes(StandardCharsets.UTF_8));
    define("text.replace_all", 3, a -> Values.text(a.get(0)).replace(Values.text(a.get(1)), Values.text(a.get(2))));
    define("text.replace_all_regex", 3, a -> Values.text(a.get(0)).replaceAll(Values.text(a.get(1)), Values.text(a.get(2))));
    // RE2 and java.util.regex read the patterns the compiler emits alike (ItemIdsTableTest pins them).
    define("text.match_regex", 2, a -> java.util.regex.Pattern.compile(Values.text(a.get(1))).matcher(Values.text(a.get(0))).find());
    define("text.substring", 3, a -> substring(Values.text(a.get(0)), ((Number) a.get(1)).intValue(), ((Number) a.get(2)).intValue()));
    define("text.url_encode", 1, a -> urlEncode(Values.text(a.get(0))));
    define("time.format", 1, a -> DateTimeFormatter.ISO_INSTANT.format(VirtualClock.instant(((Number) a.get(0)).doubleValue())));
    define("time.parse", 1, a -> VirtualClock.seconds(Instant.parse(Values.text(a.get(0)))));
    define("sys.now", 0, a -> clock.nowSeconds());
    define("sys.get_env", 1, a -> {
      String v = env.get(Values.text(a.get(0)));
      if (v == null) throw new Unsupported("environment variable " + a.get(0));
      return v;
    });
  }

  private void define(String name, int arity, Function<List<Object>, Object> f) {
    functions.put(name, args -> {
      if (args.size() != arity) throw WorkflowError.of("TypeError", name + " takes " + arity + " arguments, got " + args.size());
      return f.apply(args);
    });
  }

  boolean has(String name) {
    return functions.containsKey(name);
  }

  Object call(String name, List<Object> args) {
    Function<List<Object>, Object> f = functions.get(name);
    if (f == null) throw new Unsupported("function " + name + "()");
    return f.apply(args);
  }

  /** Characters {@code [start, end)}, clamped to the string as Workflows does. */
  private static String substring(String s, int start, int end) {
    int n = s.length();
    int from = Math.max(0, Math.min(start, n));
    return s.substring(from, Math.max(from, Math.min(end, n)));
  }

  private static Object len(List<Object> a) {
    Object v = a.get(0);
    if (v instanceof String s) return (long) s.length();
    if (v instanceof List<?> l) return (long) l.size();
    if (v instanceof Map<?, ?> m) return (long) m.size();
    if (v instanceof byte[] b) return (long) b.length;
    throw WorkflowError.of("TypeError", "len() of " + Values.type(v));
  }

  /** {@code map.get(map, key)} or {@code map.get(map, [k1, k2, ...])} (nested); null when a key is missing. */
  private static Object mapGet(List<Object> a) {
    Object v = a.get(0);
    List<Object> path = a.get(1) instanceof List<?> l ? Values.list(l) : List.of(Values.text(a.get(1)));
    for (Object k : path) {
      if (v == null) return null;
      Map<String, Object> m = Values.map(v);
      v = m.get(Values.text(k));
    }
    return v;
  }

  private static Object checksum(List<Object> a) {
    String algorithm = Values.text(a.get(1));
    if (!algorithm.equals("SHA256")) throw new Unsupported("hash algorithm " + algorithm);
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes(a.get(0)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] bytes(Object v) {
    if (v instanceof byte[] b) return b;
    throw WorkflowError.of("TypeError", "expected bytes, got " + Values.type(v));
  }

  private static String json(Object v) {
    try {
      return JSON.writeValueAsString(v);
    } catch (Exception e) {
      throw WorkflowError.of("TypeError", "cannot encode as JSON: " + e.getMessage());
    }
  }

  private static Object decode(Object v) {
    try {
      byte[] b = v instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : bytes(v);
      return Values.copy(JSON.readValue(b, Object.class));
    } catch (java.io.IOException e) {
      throw WorkflowError.of("ValueError", "not JSON: " + e.getMessage());
    }
  }

  private static String urlEncode(String s) {
    StringBuilder b = new StringBuilder();
    for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (x & 0xff);
      if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || "-_.~".indexOf(c) >= 0) b.append(c);
      else b.append('%').append(String.format("%02X", x & 0xff));
    }
    return b.toString();
  }
}
