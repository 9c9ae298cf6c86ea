package io.wavegraph.core.port;

/** Validation of object keys, shared by every {@link BlobStore}. */
public final class BlobKeys {
  /** The longest key accepted, in UTF-8 bytes (Cloud Storage allows 1024). */
  public static final int MAX_BYTES = 1024;

  private BlobKeys() {}

  /**
   * Returns {@code key} if it is a safe relative object name: not empty, no leading '/', no empty,
   * '.' or '..' segments, no backslash and no control characters.
   *
   * @throws IllegalArgumentException naming the key and what is wrong
   */
  public static String check(String key) {
    String problem = problem(key, MAX_BYTES);
    if (problem != null) throw new IllegalArgumentException("bad object key '" + printable(key) + "': " + problem);
    return key;
  }

  /** The first thing wrong with a relative path-like name, or null when there is nothing. */
  public static String problem(String name, int maxBytes) {
    if (name == null || name.isEmpty()) return "it is empty";
    if (name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > maxBytes) {
      return "it is longer than " + maxBytes + " bytes";
    }
    if (name.startsWith("/")) return "it starts with '/'";
    if (name.endsWith("/")) return "it ends with '/'";
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c < 0x20 || c == 0x7f) return "it contains a control character at position " + i;
      if (c == '\\') return "it contains a backslash at position " + i;
    }
    for (String segment : name.split("/", -1)) {
      if (segment.isEmpty()) return "it contains an empty path segment ('//')";
      if (segment.equals(".") || segment.equals("..")) return "it contains a '" + segment + "' segment";
    }
    return null;
  }

  /** The name with control characters escaped, safe to print in an error. */
  public static String printable(String s) {
    if (s == null) return "null";
    StringBuilder b = new StringBuilder();
    for (char c : s.toCharArray()) {
      if (c < 0x20 || c == 0x7f) b.append(String.format("\\u%04x", (int) c));
      else b.append(c);
    }
    return b.toString();
  }
}
