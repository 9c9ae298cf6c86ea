package io.wavegraph.testkit;

import io.wavegraph.core.graph.StepSpec;
import io.wavegraph.core.step.BadParameterException;
import io.wavegraph.core.step.Blueprint;
import io.wavegraph.core.step.Step;
import io.wavegraph.core.step.StepContext;
import io.wavegraph.core.step.StepFactory;
import io.wavegraph.core.step.StepInput;
import io.wavegraph.core.step.StepOutput;
import io.wavegraph.core.step.StepResolutionException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Tests one step on files, the way the runtime runs it (as Beam's {@code TestPipeline} or Scio's
 * {@code JobTest} serve whole pipelines): configure it with parameters, run it on an input file
 * or its parents' outputs, and get its outputs. It is stricter than a hand-rolled fake: a
 * parameter the step never reads, an output it declares but does not write, and an output it
 * writes without declaring fail the test.
 *
 * <pre>{@code
 * StepHarness.Result r = StepHarness.of(LoudnessStep::new).run(Path.of("tone.wav"));
 * JsonNode j = new ObjectMapper().readTree(r.file("json").toFile());
 * }</pre>
 *
 * <p>Each {@code run} makes a new instance and takes it through the whole lifecycle: configure
 * (through the same resolution the graph parser uses, so the step's version and declared outputs
 * are checked as a graph would check them), open, process, close. An exception from the step
 * ({@code BadInputException} for bad input) comes out of {@code run} unchanged.
 */
public final class StepHarness {
  private final Supplier<? extends Step> step;
  private final Map<String, Object> params = new LinkedHashMap<>();
  private final Map<String, Map<String, Path>> parents = new LinkedHashMap<>();
  private String name = "step";
  private String item = null;
  private Path workdir;

  private StepHarness(Supplier<? extends Step> step) {
    this.step = step;
  }

  /** A harness for the step that {@code step} makes (e.g. {@code MyStep::new}). */
  public static StepHarness of(Supplier<? extends Step> step) {
    return new StepHarness(step);
  }

  /** A parameter as the graph's {@code params} would give it. */
  public StepHarness param(String key, Object value) {
    params.put(key, value);
    return this;
  }

  /** Every parameter at once, as the graph's {@code params} map. */
  public StepHarness params(Map<String, ?> values) {
    params.putAll(values);
    return this;
  }

  /** The step's name in the graph (default {@code step}); outputs land under it. */
  public StepHarness named(String stepName) {
    this.name = stepName;
    return this;
  }

  /** The item id (default: the input file's name without its extension). */
  public StepHarness item(String id) {
    this.item = id;
    return this;
  }

  /** Where outputs go (default: a new temporary directory). */
  public StepHarness workdir(Path dir) {
    this.workdir = dir;
    return this;
  }

  /** The primary output of a parent step, for a step that is not a root. */
  public StepHarness parent(String parent, Path file) {
    return parent(parent, "out", file);
  }

  /** One named output of a parent step; the first given for a parent is its primary output. */
  public StepHarness parent(String parent, String output, Path file) {
    parents.computeIfAbsent(parent, k -> new LinkedHashMap<>()).put(output, file);
    return this;
  }

  /** The step's version as a graph would record it (code version and parameters' hash). */
  public String version() {
    return blueprint().version();
  }

  /** Runs the step as a root on {@code input} (the object from the input bucket). */
  public Result run(Path input) throws Exception {
    if (!parents.isEmpty()) throw new IllegalStateException("run(input) is for a root; this step has parents: use run()");
    return execute(input);
  }

  /** Runs the step on its parents' outputs (given with {@link #parent}). */
  public Result run() throws Exception {
    if (parents.isEmpty()) throw new IllegalStateException("a step without parents is a root: use run(input)");
    return execute(null);
  }

  private Blueprint blueprint() {
    StepSpec spec = new StepSpec(name, name, null, List.copyOf(parents.keySet()), params, 0, null, null,
        null, null, null, null, null);
    Supplier<Step> s = step::get;
    try {
      return new StepFactory(Map.of(name, s), Thread.currentThread().getContextClassLoader()).blueprint(spec);
    } catch (BadParameterException e) {
      throw new AssertionError(e.getMessage(), e);
    } catch (StepResolutionException e) {
      throw new AssertionError(e.getMessage(), e);
    }
  }

  private Result execute(Path rootInput) throws Exception {
    Blueprint b = blueprint();
    Path dir = workdir != null ? workdir : Files.createTempDirectory("wavegraph-step");
    String id = item != null ? item : idOf(rootInput != null ? rootInput : parents.values().iterator().next().values().iterator().next());
    Map<String, Path> written = new LinkedHashMap<>();
    StepOutput out = output -> {
      if (!b.outputs().contains(output)) {
        throw new IllegalArgumentException("output '" + output + "' is not declared; the step declares " + b.outputs());
      }
      Path f = dir.resolve(name).resolve(id + "." + output);
      Files.createDirectories(f.getParent());
      Files.deleteIfExists(f);
      written.put(output, f);
      return f;
    };
    Path scratch = Files.createDirectories(dir.resolve(".scratch").resolve(name));
    try (Step instance = b.newInstance()) {
      instance.open(new StepContext() {
        @Override public String stepName() { return name; }
        @Override public String graphName() { return "test"; }
        @Override public Path scratchDir() { return scratch; }
      });
      instance.process(input(id, rootInput), out);
    }
    List<String> missing = new ArrayList<>();
    for (String o : b.outputs()) if (!written.containsKey(o) || !Files.isRegularFile(written.get(o))) missing.add(o);
    if (!missing.isEmpty()) {
      throw new AssertionError("step '" + name + "' declares output(s) " + missing + " but did not write them for item '" + id + "'");
    }
    return new Result(id, b.version(), written);
  }

  private StepInput input(String id, Path rootInput) {
    List<String> names = List.copyOf(parents.keySet());
    return new StepInput() {
      @Override public String item() { return id; }
      @Override public List<String> parents() { return names; }
      @Override public Path file() {
        if (rootInput != null) return rootInput;
        if (names.size() != 1) throw new IllegalStateException("a join must name the parent: file(parent)");
        return file(names.get(0));
      }
      @Override public Path file(String parent) {
        Map<String, Path> outs = parents.get(parent);
        if (outs == null) throw new IllegalArgumentException("'" + parent + "' is not a parent; parents: " + names);
        return outs.values().iterator().next();
      }
      @Override public Path file(String parent, String output) {
        Map<String, Path> outs = parents.get(parent);
        if (outs == null || !outs.containsKey(output)) {
          throw new IllegalArgumentException("no output '" + output + "' of parent '" + parent + "' was given to the harness");
        }
        return outs.get(output);
      }
      @Override public String name() {
        return rootInput != null ? rootInput.getFileName().toString() : names.get(0) + "/" + id;
      }
    };
  }

  private static String idOf(Path file) {
    String n = file.getFileName().toString();
    int dot = n.lastIndexOf('.');
    return dot > 0 ? n.substring(0, dot) : n;
  }

  /** What one run wrote. */
  public record Result(String item, String version, Map<String, Path> outputs) {
    /** The file of output {@code name}. */
    public Path file(String output) {
      Path p = outputs.get(output);
      if (p == null) throw new IllegalArgumentException("no output '" + output + "'; written: " + outputs.keySet());
      return p;
    }

    /** Output {@code name} as UTF-8 text. */
    public String text(String output) {
      try {
        return Files.readString(file(output), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
