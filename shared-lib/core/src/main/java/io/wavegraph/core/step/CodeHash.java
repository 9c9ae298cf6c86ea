package io.wavegraph.core.step;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A hash of a step's code: the bytes of its class and of every class it uses, directly or through
 * others, from its own code base (the classes under the first two segments of its package, e.g.
 * {@code com.example}), read through its class loader. The Step API ({@code io.wavegraph.core})
 * and libraries are left out: the hash answers "did this step's own code change?". It depends
 * only on class bytes, so identical builds give identical hashes, from a directory, a jar or a
 * shaded jar alike.
 */
final class CodeHash {
  private static final Pattern DESCRIPTOR_CLASS = Pattern.compile("L([\\w/$]+);");
  private static final Map<Class<?>, String> CACHE = new ConcurrentHashMap<>();

  private CodeHash() {}

  /** The first 8 hex digits of the SHA-256 over the sorted (class name, bytes) of the step's code. */
  static String of(Class<?> stepClass) {
    return CACHE.computeIfAbsent(stepClass, CodeHash::compute);
  }

  private static String compute(Class<?> cls) {
    ClassLoader loader = cls.getClassLoader() != null ? cls.getClassLoader() : ClassLoader.getSystemClassLoader();
    String root = codeBase(cls.getName().replace('.', '/'));
    Map<String, byte[]> classes = new TreeMap<>();
    Deque<String> todo = new ArrayDeque<>();
    todo.add(cls.getName().replace('.', '/'));
    while (!todo.isEmpty()) {
      String name = todo.poll();
      if (classes.containsKey(name)) continue;
      byte[] bytes;
      try (InputStream in = loader.getResourceAsStream(name + ".class")) {
        if (in == null) continue; // generated at run time or not ours to read: nothing stable to hash
        bytes = in.readAllBytes();
      } catch (IOException e) {
        throw new IllegalStateException("cannot read the code of " + cls.getName() + ": " + e.getMessage(), e);
      }
      classes.put(name, bytes);
      for (String used : referencedClasses(bytes)) {
        if (used.startsWith(root) && !used.startsWith("io/wavegraph/core/") && !classes.containsKey(used)) todo.add(used);
      }
    }
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      classes.forEach((name, bytes) -> {
        sha.update(name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        sha.update((byte) 0);
        sha.update(bytes);
      });
      return HexFormat.of().formatHex(sha.digest()).substring(0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code com/example/} for {@code com/example/audio/MyStep}; the package itself when shorter. */
  static String codeBase(String internalName) {
    String[] parts = internalName.split("/");
    int keep = Math.min(2, parts.length - 1);
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < keep; i++) b.append(parts[i]).append('/');
    return b.toString();
  }

  /** Class names (internal form) a class file names in its constant pool, as classes or in descriptors. */
  static java.util.Set<String> referencedClasses(byte[] classFile) {
    java.util.Set<String> out = new java.util.TreeSet<>();
    try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(classFile))) {
      in.readInt(); // magic
      in.readUnsignedShort();
      in.readUnsignedShort();
      int count = in.readUnsignedShort();
      String[] utf8 = new String[count];
      int[] classIndex = new int[count];
      for (int i = 1; i < count; i++) {
        int tag = in.readUnsignedByte();
        switch (tag) {
          case 1 -> utf8[i] = in.readUTF();
          case 7 -> classIndex[i] = in.readUnsignedShort();
          case 8, 16, 19, 20 -> in.readUnsignedShort();
          case 15 -> in.skipBytes(3);
          case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipBytes(4);
          case 5, 6 -> {
            in.skipBytes(8);
            i++; // longs and doubles take two slots
          }
          default -> throw new IOException("unknown constant pool tag " + tag);
        }
      }
      for (int i = 1; i < count; i++) {
        if (classIndex[i] != 0 && utf8[classIndex[i]] != null) {
          String n = utf8[classIndex[i]];
          if (n.startsWith("[")) addDescriptor(n, out);
          else out.add(n);
        } else if (utf8[i] != null && utf8[i].indexOf(';') > 0) {
          addDescriptor(utf8[i], out);
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("not a class file: " + e.getMessage(), e);
    }
    return out;
  }

  private static void addDescriptor(String s, java.util.Set<String> out) {
    Matcher m = DESCRIPTOR_CLASS.matcher(s);
    while (m.find()) out.add(m.group(1));
  }
}
