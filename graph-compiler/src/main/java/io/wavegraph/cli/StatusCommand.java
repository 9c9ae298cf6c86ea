package io.wavegraph.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wavegraph.core.batch.BatchManifest;
import io.wavegraph.core.batch.InProcessJobs;
import io.wavegraph.core.graph.ResolvedGraph;
import io.wavegraph.core.graph.StepKind;
import io.wavegraph.core.pipeline.Freshness;
import io.wavegraph.core.pipeline.Ports;
import io.wavegraph.core.port.Ledger;
import io.wavegraph.core.port.LedgerRecord;
import io.wavegraph.core.port.LedgerState;
import io.wavegraph.gcp.Emulator;
import io.wavegraph.gcp.EmulatorRuntime;
import io.wavegraph.local.DirectoryBlobStore;
import io.wavegraph.local.EmbeddedRuntime;
import io.wavegraph.local.SqliteLedger;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "status", description = {"Shows the ledger per step: done, stale, failed (with reasons), claimed.",
    "With --backend emulators it reads the Firestore emulator's ledger, which is only there while the emulators run: "
        + "start them yourself and set FIRESTORE_EMULATOR_HOST (and GOOGLE_CLOUD_PROJECT if the runs had it); "
        + "emulators a run started itself are gone with their state when it ends."})
final class StatusCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "GRAPH")
  Path graphFile;

  @Option(names = "--workdir", paramLabel = "DIR")
  Path workdir;

  @Option(names = "--input", paramLabel = "DIR", description = "The input folder (default: the last run's).")
  Path input;

  @Option(names = "--json", description = "Print one JSON object on stdout.")
  boolean json;

  @Option(names = "--backend", paramLabel = "KIND", defaultValue = "embedded",
      description = "embedded (default: the work directory's SQLite ledger) or emulators (the ledger in the Firestore "
          + "emulator at FIRESTORE_EMULATOR_HOST, project GOOGLE_CLOUD_PROJECT, else gcp.project, else wavegraph-local).")
  Backend backend;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    ResolvedGraph graph = GraphFiles.load(graphFile, spec.commandLine().getErr());
    Path wd = GraphFiles.workdir(workdir, graph);
    Map<String, Map<String, Integer>> rows = new LinkedHashMap<>();
    List<RunTally.Failure> failed = new ArrayList<>();
    List<RunTally.Failure> stale = new ArrayList<>();
    for (String s : graph.graph().topologicalOrder()) {
      Map<String, Integer> c = new LinkedHashMap<>();
      for (String col : List.of("done", "failed", "stale", "claimed")) c.put(col, 0);
      rows.put(s, c);
    }
    // A batch step's batches: manifests written, those a crash left unfinished, items held now.
    Map<String, Map<String, Integer>> batches = new LinkedHashMap<>();
    Ledger opened = openLedger(backend, graph, wd);
    if (opened != null) {
      Path inputDir = GraphFiles.inputDir(input, wd);
      try (Ledger ledger = opened) {
        Ports ports = new Ports(null, DirectoryBlobStore.readOnly(inputDir),
            DirectoryBlobStore.readOnly(wd.resolve(EmbeddedRuntime.OUTPUTS_DIR)), ledger, Clock.systemUTC());
        for (String s : rows.keySet()) {
          for (LedgerRecord r : ledger.records(s)) {
            if (r.state() == null) continue;
            switch (r.state()) {
              case DONE -> {
                String why = Freshness.staleReason(graph, ports, r);
                if (why == null) rows.get(s).merge("done", 1, Integer::sum);
                else {
                  rows.get(s).merge("stale", 1, Integer::sum);
                  stale.add(new RunTally.Failure(s, r.key().item(), why));
                }
              }
              case FAILED -> {
                rows.get(s).merge("failed", 1, Integer::sum);
                failed.add(new RunTally.Failure(s, r.key().item(), r.error()));
              }
              case CLAIMED -> rows.get(s).merge("claimed", 1, Integer::sum);
            }
          }
          if (graph.graph().step(s).kind() == StepKind.JOB) batches.put(s, batchCounts(graph, s, ports, ledger));
        }
      }
    }
    if (json) {
      ObjectNode node = Report.json(rows, failed);
      var st = node.putArray("stale");
      stale.forEach(x -> st.addObject().put("step", x.step()).put("item", x.item()).put("reason", x.error()));
      ObjectNode b = node.putObject("batches");
      batches.forEach((step, c) -> {
        ObjectNode o = b.putObject(step);
        c.forEach(o::put);
      });
      out.println(Report.write(node));
    } else {
      Report.table(out, List.of("done", "stale", "failed", "claimed"), rows);
      Report.failures(out, "failed:", failed);
      Report.failures(out, "stale:", stale.size() > 20 ? stale.subList(0, 20) : stale);
      if (stale.size() > 20) out.println("  ... and " + (stale.size() - 20) + " more");
      batches.forEach((step, c) -> out.printf("batches of %s: %d written, %d unfinished, %d items held by a batch now%n",
          step, c.get("written"), c.get("unfinished"), c.get("held")));
    }
    out.flush();
    return Main.OK;
  }

  /**
   * {@code written}: manifests in the work directory's outputs (embedded runs; the cloud's are in
   * its bucket); {@code unfinished}: those the next run resumes; {@code held}: items whose batch
   * has not finished with them.
   */
  private static Map<String, Integer> batchCounts(ResolvedGraph graph, String step, Ports ports, Ledger ledger)
      throws java.io.IOException {
    Map<String, Integer> c = new LinkedHashMap<>();
    c.put("written", (int) ports.output().list(BatchManifest.PREFIX + step + "/").stream()
        .filter(f -> f.key().endsWith(".json")).count());
    c.put("unfinished", InProcessJobs.resumable(graph.graph().name(), step, ports).size());
    c.put("held", (int) ledger.records(BatchManifest.membership(step, "").step()).stream()
        .filter(r -> r.state() == LedgerState.CLAIMED).count());
    return c;
  }

  /**
   * The ledger to read, or null when there is none yet (no embedded run in the work directory).
   * Also used by {@code report}.
   */
  static Ledger openLedger(Backend backend, ResolvedGraph graph, Path wd) throws Exception {
    if (backend == Backend.embedded) {
      return Files.exists(wd.resolve(EmbeddedRuntime.LEDGER_FILE)) ? SqliteLedger.open(wd.resolve(EmbeddedRuntime.LEDGER_FILE)) : null;
    }
    Map<String, String> env = Backend.environment;
    String host = EmulatorRuntime.namedHost(Emulator.Kind.FIRESTORE, env).orElseThrow(() -> new Main.UsageException(
        "--backend emulators reads the ledger of a running Firestore emulator: set FIRESTORE_EMULATOR_HOST "
            + "(emulators that a run starts itself stop, with their state, when it ends)"));
    if (!Emulator.answers(host)) {
      throw new Main.UsageException("FIRESTORE_EMULATOR_HOST=" + host + " but no Firestore emulator answers there");
    }
    return EmulatorRuntime.ledger(host, EmulatorRuntime.project(graph, env), graph);
  }
}
