package io.wavegraph.core.graph;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A validated graph: steps and their edges, a DAG. Steps keep the file's order; every query
 * returns steps in that order, so everything derived from a graph is deterministic.
 */
public final class Graph {
  private final String name;
  private final Path source;
  private final Storage storage;
  private final Gcp gcp;
  private final Map<String, StepSpec> steps;
  private final Map<String, List<String>> children;

  public Graph(String name, Path source, Storage storage, Gcp gcp, List<StepSpec> steps) {
    this.name = name;
    this.source = source;
    this.storage = storage;
    this.gcp = gcp;
    Map<String, StepSpec> byName = new LinkedHashMap<>();
    for (StepSpec s : steps) byName.put(s.name(), s);
    this.steps = Collections.unmodifiableMap(byName);
    Map<String, List<String>> kids = new LinkedHashMap<>();
    for (StepSpec s : steps) kids.put(s.name(), new ArrayList<>());
    for (StepSpec s : steps) {
      for (String p : s.from()) {
        List<String> list = kids.get(p);
        if (list == null) throw new IllegalArgumentException("step '" + s.name() + "' has unknown parent '" + p + "'");
        list.add(s.name());
      }
    }
    kids.replaceAll((k, v) -> List.copyOf(v));
    this.children = Collections.unmodifiableMap(kids);
  }

  public String name() {
    return name;
  }

  /** The graph file it was read from, or null when it was built in code. */
  public Path source() {
    return source;
  }

  public Storage storage() {
    return storage;
  }

  public Gcp gcp() {
    return gcp;
  }

  /** All steps, in the file's order. */
  public List<StepSpec> steps() {
    return List.copyOf(steps.values());
  }

  public StepSpec step(String stepName) {
    StepSpec s = steps.get(stepName);
    if (s == null) throw new IllegalArgumentException("graph '" + name + "' has no step '" + stepName + "'");
    return s;
  }

  public boolean hasStep(String stepName) {
    return steps.containsKey(stepName);
  }

  public List<String> parents(String stepName) {
    return step(stepName).from();
  }

  public List<String> children(String stepName) {
    step(stepName);
    return children.get(stepName);
  }

  public List<String> roots() {
    return steps.values().stream().filter(StepSpec::isRoot).map(StepSpec::name).toList();
  }

  /** Every step reachable from {@code stepName} through children, not including it. */
  public Set<String> descendants(String stepName) {
    Set<String> seen = new LinkedHashSet<>();
    Deque<String> todo = new ArrayDeque<>(children(stepName));
    while (!todo.isEmpty()) {
      String s = todo.pop();
      if (seen.add(s)) todo.addAll(children.get(s));
    }
    return seen;
  }

  /** Steps ordered so that every parent comes before its children (ties in file order). */
  public List<String> topologicalOrder() {
    List<String> order = new ArrayList<>();
    Set<String> placed = new LinkedHashSet<>();
    while (order.size() < steps.size()) {
      int before = order.size();
      for (StepSpec s : steps.values()) {
        if (!placed.contains(s.name()) && placed.containsAll(s.from())) {
          placed.add(s.name());
          order.add(s.name());
        }
      }
      if (order.size() == before) throw new IllegalStateException("graph '" + name + "' has a cycle");
    }
    return order;
  }

  /** Where the input comes from and where outputs go: {@code gs://} URIs, or null. */
  public record Storage(String input, String output) {}

  /** The Google Cloud project and region, or null fields when not given. */
  public record Gcp(String project, String region) {}
}
