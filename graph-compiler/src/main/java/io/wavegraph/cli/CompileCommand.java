package io.wavegraph.cli;

import io.wavegraph.compiler.GraphCompiler;
import io.wavegraph.compiler.TerraformCheck;
import io.wavegraph.compiler.WorkflowCheck;
import io.wavegraph.core.graph.GraphException;
import io.wavegraph.core.graph.ResolvedGraph;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "compile", description = {
    "Compiles a graph for Google Cloud: OUT/terraform (root module in Terraform JSON + the modules it calls),",
    "OUT/workflows/*.yaml and OUT/functions/<step>.json. The same graph gives the same bytes.",
    "With --check, also parses and checks every emitted file offline (Terraform against the google provider",
    "6.50.0 schema with tools/hcl-check; workflows against the Workflows syntax the compiler emits).",
    "Exit 0 when written (and clean), 1 when --check finds problems, 2 for a bad graph."})
final class CompileCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "GRAPH")
  Path graphFile;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where to write (created; files it writes are replaced).")
  Path out;

  @Option(names = "--check", description = "Check every emitted Terraform file and workflow offline.")
  boolean check;

  @Option(names = "--local-state", description = {"Keep Terraform's state in a local file instead of the Cloud Storage backend",
      "(backend \"gcs\", whose bucket `terraform init -backend-config=bucket=BUCKET` names; scripts/deploy.sh does)."})
  boolean localState;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException, InterruptedException {
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter stdout = spec.commandLine().getOut();
    ResolvedGraph g = GraphFiles.load(graphFile, err);
    GraphCompiler.Compilation c;
    try {
      c = new GraphCompiler(localState).compile(g);
    } catch (GraphException e) {
      e.problems().forEach(err::println);
      throw new Main.UsageException(graphFile + ": " + e.problems().size() + " problem(s); nothing was compiled");
    }
    for (Map.Entry<String, String> f : c.files().entrySet()) {
      Path p = out.resolve(f.getKey());
      Files.createDirectories(p.getParent());
      Files.writeString(p, f.getValue(), StandardCharsets.UTF_8);
    }
    stdout.printf("%s: graph '%s' compiled into %s: %d file(s)%n", graphFile, g.graph().name(), out, c.files().size());
    if (!check) {
      stdout.flush();
      return Main.OK;
    }
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, String> f : c.files().entrySet()) {
      if (f.getKey().startsWith("workflows/")) problems.addAll(WorkflowCheck.check(f.getKey(), f.getValue()));
    }
    Optional<TerraformCheck> tf = TerraformCheck.find();
    if (tf.isEmpty()) {
      err.println("wavegraph: WARNING: Terraform NOT checked: node or tools/hcl-check/node_modules is missing (run: npm ci --prefix tools/hcl-check)");
    } else {
      TerraformCheck.Report r = tf.get().run(List.of(out.resolve("terraform")));
      if (!r.ok()) problems.add("Terraform check failed:\n" + r.json());
      else stdout.println("terraform: every file parses and matches the google provider 6.50.0 schema");
    }
    problems.forEach(err::println);
    stdout.println(problems.isEmpty() ? "workflows: every workflow passes the syntax check" : problems.size() + " problem(s)");
    stdout.flush();
    err.flush();
    return problems.isEmpty() ? Main.OK : Main.ITEM_FAILED;
  }
}
