package io.wavegraph.core.step;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.wavegraph.core.graph.StepSpec;
import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Resolves a step's {@code uses} (a built-in from a {@link StepCatalog}) or {@code class} (a
 * user's {@link Step} on the classpath) to its code.
 */
public final class StepFactory {
  private static final ObjectMapper CANONICAL =
      new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  private final Map<String, Supplier<Step>> builtins;
  private final ClassLoader classLoader;

  public StepFactory(Map<String, Supplier<Step>> builtins, ClassLoader classLoader) {
    this.builtins = new TreeMap<>(builtins);
    this.classLoader = classLoader;
  }

  /** The built-ins of every {@link StepCatalog} on the class path. */
  public static StepFactory fromClassPath(ClassLoader loader) {
    Map<String, Supplier<Step>> all = new TreeMap<>();
    for (StepCatalog c : ServiceLoader.load(StepCatalog.class, loader)) all.putAll(c.steps());
    return new StepFactory(all, loader);
  }

  /** The names of the built-in transforms, sorted. */
  public List<String> builtinNames() {
    return List.copyOf(builtins.keySet());
  }

  /**
   * Resolves and configures the step.
   *
   * @throws StepResolutionException when the transform or class is unknown or unusable
   * @throws BadParameterException when the step rejects a parameter, or one is unknown
   */
  public Blueprint blueprint(StepSpec spec) throws StepResolutionException, BadParameterException {
    Supplier<Step> supplier = supplier(spec);
    Step probe = newStep(supplier, spec);
    Params params = new Params(spec.params());
    probe.configure(params);
    if (!params.unread().isEmpty()) {
      String name = params.unread().iterator().next();
      throw new BadParameterException(name, "unknown parameter '" + name + "' for " + describe(spec));
    }
    List<String> outputs = probe.outputs();
    if (outputs == null || outputs.isEmpty()) {
      throw new StepResolutionException(describe(spec) + " declares no outputs");
    }
    for (String o : outputs) {
      if (!o.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
        throw new StepResolutionException(describe(spec) + " declares a bad output name '" + o + "'");
      }
    }
    String version = codeVersion(probe) + "-" + paramsHash(params);
    return new Blueprint(spec, supplier, version, outputs);
  }

  private Supplier<Step> supplier(StepSpec spec) throws StepResolutionException {
    if (spec.uses() != null) {
      Supplier<Step> s = builtins.get(spec.uses());
      if (s == null) {
        throw new StepResolutionException("unknown transform '" + spec.uses() + "' (built-in transforms: "
            + String.join(", ", builtins.keySet()) + ")");
      }
      return s;
    }
    Class<?> cls;
    try {
      cls = Class.forName(spec.className(), false, classLoader);
    } catch (ClassNotFoundException | LinkageError e) {
      throw new StepResolutionException("class '" + spec.className() + "' is not on the classpath");
    }
    if (!Step.class.isAssignableFrom(cls)) {
      throw new StepResolutionException("class '" + spec.className() + "' does not implement " + Step.class.getName());
    }
    if (Modifier.isAbstract(cls.getModifiers())) {
      throw new StepResolutionException("class '" + spec.className() + "' is abstract");
    }
    Constructor<?> ctor;
    try {
      ctor = cls.getConstructor();
    } catch (NoSuchMethodException e) {
      throw new StepResolutionException("class '" + spec.className() + "' has no public no-argument constructor");
    }
    return () -> {
      try {
        return (Step) ctor.newInstance();
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("cannot create " + spec.className() + ": " + e.getCause(), e);
      }
    };
  }

  private static Step newStep(Supplier<Step> supplier, StepSpec spec) throws StepResolutionException {
    try {
      return supplier.get();
    } catch (RuntimeException e) {
      throw new StepResolutionException("cannot create " + describe(spec) + ": " + e.getMessage());
    }
  }

  private static String describe(StepSpec spec) {
    return spec.uses() != null ? "transform '" + spec.uses() + "'" : "class '" + spec.className() + "'";
  }

  /**
   * {@code version()}, then (unless the step pins it) a dot and the hash of its code: {@code
   * 1.3fa9c01b}. The part of {@link Blueprint#version()} before the parameters' hash.
   */
  public static String codeVersion(Step step) {
    return step.versionCoversCode() ? step.version() + "." + CodeHash.of(step.getClass()) : step.version();
  }

  /** The first 12 hex digits of the SHA-256 of the parameters as canonical JSON. */
  static String paramsHash(Params params) {
    try {
      byte[] json = CANONICAL.writeValueAsString(params.canonical()).getBytes(StandardCharsets.UTF_8);
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(json);
      return HexFormat.of().formatHex(digest).substring(0, 12);
    } catch (NoSuchAlgorithmException | com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
