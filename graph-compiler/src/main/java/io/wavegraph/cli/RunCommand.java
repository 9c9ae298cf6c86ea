package io.wavegraph.cli;

import io.wavegraph.local.EmbeddedRuntime;

import io.wavegraph.core.envelope.Envelope;
import io.wavegraph.core.envelope.InvalidEnvelopeException;
import io.wavegraph.core.envelope.ItemIds;
import io.wavegraph.core.graph.ResolvedGraph;
import io.wavegraph.core.port.BlobInfo;
import io.wavegraph.core.port.LedgerRecord;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "run",
    description = "Runs the graph on the embedded runtime (or --backend emulators): every file under --input is an item. "
        + "Exit 0: all done; 1: some item failed (the rest was done); 2: bad graph or arguments.")
final class RunCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "GRAPH", description = "The graph file.")
  Path graphFile;

  @Option(names = "--input", required = true, paramLabel = "DIR", description = "The input folder (storage.input).")
  Path input;

  @Option(names = "--workdir", paramLabel = "DIR", description = "Outputs and ledger (default .wavegraph/<graph>).")
  Path workdir;

  @Option(names = "--force", description = "Redo every step for every item, even when current.")
  boolean force;

  @Option(names = "--threads", paramLabel = "N", description = "Concurrent items per step (default: the number of cores).")
  Integer threads;

  @Option(names = "--json", description = "Print the summary as one JSON object on stdout.")
  boolean json;

  @Option(names = "--backend", paramLabel = "KIND", defaultValue = "embedded",
      description = "embedded (default: in-process bus, SQLite ledger) or emulators (gcloud's Pub/Sub and Firestore "
          + "emulators: PUBSUB_EMULATOR_HOST / FIRESTORE_EMULATOR_HOST when set, else started here on free loopback "
          + "ports and stopped at the end; project GOOGLE_CLOUD_PROJECT, else gcp.project, else wavegraph-local).")
  Backend backend;

  /** Items judged per ledger read (see {@code call}). */
  private static final int JUDGE = 500;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    if (!Files.isDirectory(input)) throw new Main.UsageException("--input " + input + " is not a directory");
    int n = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
    if (n < 1) throw new Main.UsageException("--threads must be at least 1, got " + n);
    ResolvedGraph graph = GraphFiles.load(graphFile, err);
    Path wd = GraphFiles.workdir(workdir, graph);
    RunTally tally = new RunTally(graph.graph().topologicalOrder());
    Instant start = Instant.now();
    int items;
    boolean idle;
    try (Backend.Session rt = backend.open(graph, input, wd, n, tally, err)) {
      Files.writeString(wd.resolve(EmbeddedRuntime.INPUT_POINTER), input.toAbsolutePath().normalize() + "\n");
      Set<String> ids = new LinkedHashSet<>();
      for (BlobInfo b : rt.input().list("")) {
        if (isHidden(b.key())) continue;
        try {
          ids.add(ItemIds.fromObjectName(b.key()));
        } catch (InvalidEnvelopeException e) {
          for (String root : graph.graph().roots()) tally.failedBeforeStart(root, b.key(), e.getMessage());
        }
      }
      items = ids.size();
      Instant now = Instant.now();
      io.wavegraph.core.pipeline.Ports ports = force ? null : rt.ports();
      // An item already done and current at every step would only travel the bus to be skipped
      // at each: judged here, by the pipeline's own rule (Freshness), it costs its share of one
      // ledger read per step and JUDGE items, and a few stats, which is what makes a re-run of a
      // big catalog cheap. Chunks are judged on the run's threads (a re-run is nothing else),
      // a wave of one per thread at a time, and published in the catalog's order.
      java.util.concurrent.ExecutorService judges = java.util.concurrent.Executors.newFixedThreadPool(n, r -> {
        Thread t = new Thread(r, "wavegraph-judge");
        t.setDaemon(true);
        return t;
      });
      try {
        List<java.util.concurrent.Callable<List<String>>> wave = new ArrayList<>();
        List<String> chunk = new ArrayList<>(JUDGE);
        java.util.Iterator<String> it = ids.iterator();
        while (it.hasNext()) {
          chunk.add(it.next());
          if (chunk.size() == JUDGE || !it.hasNext()) {
            List<String> mine = List.copyOf(chunk);
            chunk.clear();
            wave.add(() -> ports == null ? mine : stale(graph, ports, mine, tally));
          }
          if (wave.size() == n || (!it.hasNext() && !wave.isEmpty())) {
            for (java.util.concurrent.Future<List<String>> f : judges.invokeAll(wave)) {
              for (String id : joined(f)) {
                Envelope env = Envelope.request(id, now).withForce(force);
                for (String root : graph.graph().roots()) rt.publish(root, env);
              }
            }
            wave.clear();
          }
        }
      } finally {
        judges.shutdownNow();
      }
      idle = Progress.await(rt, tally, graph.graph().topologicalOrder(), items, err);
    }
    double seconds = Duration.between(start, Instant.now()).toMillis() / 1000.0;
    int rc = Summary.print(spec, json, tally, items, seconds, wd);
    return idle ? rc : Main.ITEM_FAILED;
  }

  /** The items of {@code chunk} that are not done and current everywhere; the others are counted as skipped. */
  private static List<String> stale(ResolvedGraph graph, io.wavegraph.core.pipeline.Ports ports, List<String> chunk,
      RunTally tally) throws java.io.IOException {
    Map<String, Map<String, LedgerRecord>> done = new HashMap<>();
    for (String step : graph.graph().topologicalOrder()) done.put(step, ports.ledger().getAll(step, chunk));
    List<String> out = new ArrayList<>();
    for (String id : chunk) if (!currentEverywhere(graph, ports, id, done, tally)) out.add(id);
    return out;
  }

  private static <T> T joined(java.util.concurrent.Future<T> f) throws Exception {
    try {
      return f.get();
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof Exception x ? x : e;
    }
  }

  /** True, after counting every step as skipped, when each step's record for {@code id} is done and current. */
  private static boolean currentEverywhere(ResolvedGraph graph, io.wavegraph.core.pipeline.Ports ports, String id,
      Map<String, Map<String, LedgerRecord>> records, RunTally tally) throws java.io.IOException {
    List<String> steps = graph.graph().topologicalOrder();
    for (String step : steps) {
      LedgerRecord r = records.get(step).get(id);
      if (r == null || io.wavegraph.core.pipeline.Freshness.staleReason(graph, ports, r) != null) return false;
    }
    for (String step : steps) tally.currentBeforeStart(step);
    return true;
  }

  private static boolean isHidden(String key) {
    for (String seg : key.split("/")) if (seg.startsWith(".")) return true;
    return false;
  }
}
