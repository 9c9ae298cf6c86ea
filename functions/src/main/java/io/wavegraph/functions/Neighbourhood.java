package io.wavegraph.functions;

import io.wavegraph.core.graph.Graph;
import io.wavegraph.core.graph.ResolvedGraph;
import io.wavegraph.core.graph.StepKind;
import io.wavegraph.core.graph.StepSpec;
import io.wavegraph.core.step.Blueprint;
import io.wavegraph.core.step.Step;
import io.wavegraph.core.step.StepFactory;
import io.wavegraph.core.step.StepInput;
import io.wavegraph.core.step.StepOutput;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The part of the graph one deployed step sees, rebuilt from its configuration: the step itself
 * (resolved to its code), its parents as roots that only declare their outputs, and its children
 * as stubs, so that {@code StepPipeline} can find inputs and route requests and results.
 *
 * <p>With {@code graph_steps} in the config (compilers write it) every other step of the graph is
 * a stub too, so descendants and ancestors are exact; without it only parents and children are
 * known.
 *
 * <p>The step is resolved with this archive's code and must agree with the compiled config (same
 * version, same outputs), else the instance refuses to start: results would be recorded under a
 * version the workflows do not expect. A parent's outputs come from {@code parent_outputs} where
 * the config has it; else the parent is taken to be the built-in transform of its name with
 * default parameters (v1 configs do not say what a parent writes).
 */
final class Neighbourhood {
  private Neighbourhood() {}

  static ResolvedGraph resolve(FunctionConfig c, StepFactory factory) {
    StepSpec self = new StepSpec(c.step(), c.uses(), c.className(), c.parents(), c.params(), c.retries(),
        c.timeout(), c.memory(), null, "job".equals(c.kind()) ? StepKind.JOB : StepKind.FUNCTION, null, c.batch(), null);
    if (!c.graphSteps().isEmpty()) return wholeGraph(c, factory, self);
    List<StepSpec> specs = new ArrayList<>();
    Map<String, Blueprint> blueprints = new LinkedHashMap<>();
    for (String p : c.parents()) {
      List<String> outputs = parentOutputs(c, p, factory);
      StepSpec stub = stub(p, List.of());
      specs.add(stub);
      blueprints.put(p, blueprint(new StepFactory(Map.of(p, declaring(outputs)), Neighbourhood.class.getClassLoader()), stub));
    }
    specs.add(self);
    blueprints.put(c.step(), checked(c, blueprint(factory, self)));
    for (String child : c.children()) specs.add(stub(child, List.of(c.step())));
    Graph graph = new Graph(c.graph(), null, new Graph.Storage("gs://" + c.inputBucket(), "gs://" + c.outputBucket()),
        new Graph.Gcp(c.project(), c.region()), specs);
    return new ResolvedGraph(graph, blueprints);
  }

  /** Every step of the graph, the others as stubs that only declare their outputs. */
  private static ResolvedGraph wholeGraph(FunctionConfig c, StepFactory factory, StepSpec self) {
    List<StepSpec> specs = new ArrayList<>();
    Map<String, Blueprint> blueprints = new LinkedHashMap<>();
    for (var e : c.graphSteps().entrySet()) {
      if (e.getKey().equals(c.step())) {
        specs.add(self);
        blueprints.put(c.step(), checked(c, blueprint(factory, self)));
        continue;
      }
      StepSpec stub = stub(e.getKey(), e.getValue().from());
      specs.add(stub);
      List<String> outputs = c.parentOutputs().getOrDefault(e.getKey(), e.getValue().outputs());
      blueprints.put(e.getKey(), blueprint(new StepFactory(Map.of(e.getKey(), declaring(outputs)),
          Neighbourhood.class.getClassLoader()), stub));
    }
    if (!blueprints.containsKey(c.step())) {
      throw new IllegalStateException("step '" + c.step() + "' is missing from the config's graph_steps");
    }
    Graph graph = new Graph(c.graph(), null, new Graph.Storage("gs://" + c.inputBucket(), "gs://" + c.outputBucket()),
        new Graph.Gcp(c.project(), c.region()), specs);
    return new ResolvedGraph(graph, blueprints);
  }

  private static Blueprint checked(FunctionConfig c, Blueprint b) {
    if (!b.version().equals(c.version())) {
      throw new IllegalStateException("step '" + c.step() + "': this archive's code is version " + b.version()
          + " but the graph was compiled against " + c.version() + "; recompile and redeploy");
    }
    if (!b.outputs().equals(c.outputs())) {
      throw new IllegalStateException("step '" + c.step() + "': the code declares outputs " + b.outputs()
          + " but the config says " + c.outputs());
    }
    return b;
  }

  private static List<String> parentOutputs(FunctionConfig c, String parent, StepFactory factory) {
    List<String> given = c.parentOutputs().get(parent);
    if (given != null) return given;
    if (factory.builtinNames().contains(parent)) {
      StepSpec probe = new StepSpec(parent, parent, null, List.of(), Map.of(), 0, Duration.ofSeconds(1), "1Gi",
          null, StepKind.FUNCTION, null, null, null);
      return blueprint(factory, probe).outputs();
    }
    throw new IllegalStateException("step '" + c.step() + "': the config does not say what parent '" + parent
        + "' writes (parent_outputs) and no built-in transform has that name");
  }

  private static StepSpec stub(String name, List<String> from) {
    return new StepSpec(name, name, null, from, Map.of(), 0, Duration.ofSeconds(1), "1Gi", null, StepKind.FUNCTION,
        null, null, null);
  }

  private static Blueprint blueprint(StepFactory factory, StepSpec spec) {
    try {
      return factory.blueprint(spec);
    } catch (Exception e) {
      throw new IllegalStateException("step '" + spec.name() + "': " + e.getMessage(), e);
    }
  }

  /** A step that only declares outputs: parents never run here. */
  private static Supplier<Step> declaring(List<String> outputs) {
    return () -> new Step() {
      @Override
      public List<String> outputs() {
        return outputs;
      }

      @Override
      public void process(StepInput input, StepOutput output) {
        throw new IllegalStateException("a parent's stub never runs");
      }
    };
  }
}
