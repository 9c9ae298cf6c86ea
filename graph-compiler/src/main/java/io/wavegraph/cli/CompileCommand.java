package io.wavegraph.cli;

import io.wavegraph.compiler.GraphCompiler;
import io.wavegraph.compiler.TerraformCheck;
import io.wavegraph.compiler.WorkflowCheck;
import io.wavegraph.core.graph.GraphException;
import io.wavegraph.core.graph.ResolvedGraph;
import io.wavegraph.tfprovider.StandInTerraform;
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
    "With --check, also checks every emitted file offline: real Terraform runs init -backend=false, validate and",
    "plan -refresh=false on a copy of OUT/terraform against Wavegraph's stand-in for the google provider 6.50.0",
    "(tools/terraform-provider; no credentials, no network), and workflows are checked against the Workflows",
    "syntax the compiler emits. Without a terraform binary it says so and checks the provider schema only.",
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
    problems.addAll(checkTerraform(out.resolve("terraform"), stdout, err));
    problems.forEach(err::println);
    stdout.println(problems.isEmpty() ? "workflows: every workflow passes the syntax check" : problems.size() + " problem(s)");
    stdout.flush();
    err.flush();
    return problems.isEmpty() ? Main.OK : Main.ITEM_FAILED;
  }

  /**
   * Terraform's init, validate and plan against the stand-in provider, printing Terraform's own
   * messages; where Terraform cannot run, says what was not checked and falls back to the schema
   * check of tools/hcl-check.
   */
  static List<String> checkTerraform(Path dir, PrintWriter stdout, PrintWriter err) throws IOException, InterruptedException {
    StandInTerraform.Availability a = StandInTerraform.find();
    if (a instanceof StandInTerraform.Available tf) {
      Map<String, String> placeholders = StandInTerraform.placeholders(dir);
      if (!placeholders.isEmpty()) {
        stdout.println("terraform: stand-in values for the required variables: " + String.join(", ", placeholders.keySet()));
      }
      StandInTerraform.Result r = tf.terraform().check(dir, Map.of());
      for (StandInTerraform.Step s : r.steps()) {
        if (!s.ok()) {
          err.print(s.output());
          return List.of(String.join(" ", s.command()) + " failed (exit " + s.exitCode() + "): Terraform's messages are above");
        }
        stdout.println(String.join(" ", s.command()) + ": ok");
      }
      stdout.println("terraform: " + r.planSummary().orElse("(no plan summary line)"));
      return List.of();
    }
    String reason = ((StandInTerraform.Unavailable) a).reason();
    err.println("wavegraph: WARNING: Terraform NOT run (no init, validate or plan): " + reason);
    Optional<TerraformCheck> schema = TerraformCheck.find();
    if (schema.isEmpty()) {
      err.println("wavegraph: WARNING: Terraform NOT checked at all: node or tools/hcl-check/node_modules is missing (run: npm ci --prefix tools/hcl-check)");
      return List.of();
    }
    TerraformCheck.Report r = schema.get().run(List.of(dir));
    if (!r.ok()) {
      return List.of("Terraform check failed:\n" + r.json());
    }
    stdout.println("terraform: every file parses and matches the google provider 6.50.0 schema (names and required attributes only)");
    return List.of();
  }
}
