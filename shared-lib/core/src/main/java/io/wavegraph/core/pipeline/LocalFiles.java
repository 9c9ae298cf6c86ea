package io.wavegraph.core.pipeline;

import io.wavegraph.core.step.StepInput;
import io.wavegraph.core.step.StepOutput;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The step's view of one item's files: inputs as local files (in place when the store keeps
 * files, else downloaded into the item's scratch directory), outputs as fresh files there.
 */
final class LocalFiles implements StepInput {
  private final String item;
  private final List<String> parents;
  private final Map<String, ItemInputs.Located> byRef; // "parent\0output" or "" for a root
  private final Map<String, String> primaryOutput;
  private final List<String> outputs;
  private final Path scratch;
  private final Map<String, Path> fetched = new HashMap<>();
  final Map<String, Path> written = java.util.Collections.synchronizedMap(new LinkedHashMap<>());

  LocalFiles(String item, List<String> parents, Map<String, ItemInputs.Located> byRef,
      Map<String, String> primaryOutput, List<String> outputs, Path scratch) {
    this.item = item;
    this.parents = List.copyOf(parents);
    this.byRef = byRef;
    this.primaryOutput = primaryOutput;
    this.outputs = outputs;
    this.scratch = scratch;
  }

  @Override
  public String item() {
    return item;
  }

  @Override
  public List<String> parents() {
    return parents;
  }

  @Override
  public Path file() throws IOException {
    if (parents.isEmpty()) return fetch("");
    if (parents.size() > 1) {
      throw new IllegalStateException("a step with several parents must name one: file(parent); parents are " + parents);
    }
    return file(parents.get(0));
  }

  @Override
  public Path file(String parent) throws IOException {
    String primary = primaryOutput.get(parent);
    if (primary == null) throw new IllegalArgumentException("'" + parent + "' is not a parent; parents are " + parents);
    return file(parent, primary);
  }

  @Override
  public Path file(String parent, String output) throws IOException {
    String ref = parent + "\u0000" + output;
    if (!byRef.containsKey(ref)) {
      throw new IllegalArgumentException("'" + parent + "' has no output '" + output + "'");
    }
    return fetch(ref);
  }

  @Override
  public String name() {
    if (parents.size() == 1) return byRef.get(parents.get(0) + "\u0000" + primaryOutput.get(parents.get(0))).key();
    if (parents.isEmpty()) return byRef.get("").key();
    return item;
  }

  private synchronized Path fetch(String ref) throws IOException {
    Path done = fetched.get(ref);
    if (done != null) return done;
    ItemInputs.Located l = byRef.get(ref);
    Path p = l.store().localFile(l.key()).orElse(null);
    if (p == null) {
      String base = l.key().substring(l.key().lastIndexOf('/') + 1);
      p = Files.createTempFile(scratch, "in-", "-" + base);
      try (InputStream in = l.store().open(l.key())) {
        Files.copy(in, p, StandardCopyOption.REPLACE_EXISTING);
      }
    }
    fetched.put(ref, p);
    return p;
  }

  /** The output side: fresh files in the scratch directory, by declared output name. */
  final StepOutput output = new StepOutput() {
    @Override
    public Path file(String name) {
      synchronized (written) {
        if (!outputs.contains(name)) {
          throw new IllegalArgumentException("output '" + name + "' is not declared; declared outputs: " + outputs);
        }
        return written.computeIfAbsent(name, n -> scratch.resolve("out." + n));
      }
    }
  };
}
