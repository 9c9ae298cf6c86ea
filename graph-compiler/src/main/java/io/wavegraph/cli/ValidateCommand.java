package io.wavegraph.cli;

import io.wavegraph.compiler.CloudNames;
import io.wavegraph.core.graph.Graph;
import io.wavegraph.core.graph.ResolvedGraph;
import io.wavegraph.core.graph.StepKind;
import io.wavegraph.core.graph.StepSpec;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "validate", description = {"Checks a graph file. Exit 0 when valid, 2 with every problem when not.",
    "With --print-deploy-env, prints instead what scripts/deploy.sh needs, as shell assignments (KEY='value')."})
final class ValidateCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "GRAPH")
  Path graphFile;

  @Option(names = "--print-deploy-env", description = {"Print WAVEGRAPH_NAME, WAVEGRAPH_PROJECT, WAVEGRAPH_REGION, WAVEGRAPH_IMAGE_REPOSITORY,",
      "WAVEGRAPH_STEP_IMAGES (the job steps' own images) and WAVEGRAPH_USES_JOB_IMAGE (1 when a 'class' job has no 'image')",
      "for `eval`; exit 2 when the graph lacks gcp.project or gcp.region."})
  boolean printDeployEnv;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    ResolvedGraph g = GraphFiles.load(graphFile, spec.commandLine().getErr());
    var out = spec.commandLine().getOut();
    if (printDeployEnv) return printDeployEnv(g.graph(), out);
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

  private int printDeployEnv(Graph g, PrintWriter out) {
    if (g.gcp().project() == null || g.gcp().region() == null) {
      throw new Main.UsageException(graphFile + ": deploying needs 'gcp: {project, region}' in the graph");
    }
    Set<String> images = new LinkedHashSet<>();
    boolean usesJobImage = false;
    for (StepSpec s : g.steps()) {
      if (s.kind() != StepKind.JOB) continue;
      if (s.image() != null) images.add(s.image());
      else usesJobImage = true;
    }
    String repository = g.gcp().region() + "-docker.pkg.dev/" + g.gcp().project() + "/" + new CloudNames(g.name()).imageRepository();
    Map<String, String> env = new LinkedHashMap<>();
    env.put("WAVEGRAPH_NAME", g.name());
    env.put("WAVEGRAPH_PROJECT", g.gcp().project());
    env.put("WAVEGRAPH_REGION", g.gcp().region());
    env.put("WAVEGRAPH_IMAGE_REPOSITORY", repository);
    env.put("WAVEGRAPH_STEP_IMAGES", String.join(" ", images));
    env.put("WAVEGRAPH_USES_JOB_IMAGE", usesJobImage ? "1" : "0");
    env.forEach((k, v) -> out.println(k + "=" + shellQuote(v)));
    out.flush();
    return Main.OK;
  }

  /** Single-quoted for a POSIX shell: safe to eval whatever the graph holds. */
  static String shellQuote(String v) {
    return "'" + v.replace("'", "'\\''") + "'";
  }
}
