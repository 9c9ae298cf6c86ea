package io.wavegraph.cli;

import io.wavegraph.core.graph.ResolvedGraph;
import io.wavegraph.core.graph.StepSpec;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "validate", description = "Checks a graph file. Exit 0 when valid, 2 with every problem when not.")
final class ValidateCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "GRAPH")
  Path graphFile;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    ResolvedGraph g = GraphFiles.load(graphFile, spec.commandLine().getErr());
    var out = spec.commandLine().getOut();
    out.printf("%s: graph '%s' is valid: %d step(s)%n", graphFile, g.graph().name(), g.graph().steps().size());
    for (String name : g.graph().topologicalOrder()) {
      StepSpec s = g.graph().step(name);
      out.printf("  %-20s %-10s %s version %s -> %s%n", name, s.kind().wire(),
          s.isRoot() ? "(root)" : "from " + String.join(",", s.from()),
          g.blueprint(name).version(), String.join(",", g.outputs(name)));
    }
    out.flush();
    return Main.OK;
  }
}
