package io.wavegraph.cli;

import io.wavegraph.core.envelope.Envelope;
import io.wavegraph.core.envelope.InvalidEnvelopeException;
import io.wavegraph.core.envelope.ItemIds;
import io.wavegraph.core.envelope.Recipients;
import io.wavegraph.core.graph.ResolvedGraph;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "publish",
    description = "Sends a request for items into a step of the local graph, as a user reprocesses: "
        + "missing inputs are made bottom-up; then it goes on to the step's descendants (unless --only).")
final class PublishCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "GRAPH")
  Path graphFile;

  @Option(names = "--step", required = true, paramLabel = "STEP")
  String step;

  @Option(names = "--item", required = true, arity = "1..*", paramLabel = "ID")
  List<String> items;

  @Option(names = "--force", description = "Redo even when current.")
  boolean force;

  @Option(names = "--ping", description = "Do no work; only pass the request along, to check the wiring.")
  boolean ping;

  @Option(names = "--only", description = "Do not go on to the step's descendants.")
  boolean only;

  @Option(names = "--workdir", paramLabel = "DIR")
  Path workdir;

  @Option(names = "--input", paramLabel = "DIR", description = "The input folder (default: the last run's).")
  Path input;

  @Option(names = "--threads", paramLabel = "N")
  Integer threads;

  @Option(names = "--json")
  boolean json;

  @Option(names = "--backend", paramLabel = "KIND", defaultValue = "embedded",
      description = "embedded (default: in-process bus, SQLite ledger) or emulators (gcloud's Pub/Sub and Firestore "
          + "emulators: PUBSUB_EMULATOR_HOST / FIRESTORE_EMULATOR_HOST when set, else started here on free loopback "
          + "ports and stopped at the end; project GOOGLE_CLOUD_PROJECT, else gcp.project, else wavegraph-local).")
  Backend backend;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    ResolvedGraph graph = GraphFiles.load(graphFile, spec.commandLine().getErr());
    if (!graph.graph().hasStep(step)) {
      throw new Main.UsageException("graph '" + graph.graph().name() + "' has no step '" + step + "' (steps: "
          + String.join(", ", graph.graph().topologicalOrder()) + ")");
    }
    for (String id : items) {
      try {
        ItemIds.check(id);
      } catch (InvalidEnvelopeException e) {
        throw new Main.UsageException(e.getMessage());
      }
    }
    Path wd = GraphFiles.workdir(workdir, graph);
    Path inputDir = GraphFiles.inputDir(input, wd);
    int n = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
    RunTally tally = new RunTally(graph.graph().topologicalOrder());
    Instant start = Instant.now();
    boolean idle;
    try (Backend.Session rt = backend.open(graph, inputDir, wd, n, tally, spec.commandLine().getErr())) {
      Instant now = Instant.now();
      for (String id : items) {
        Envelope env = Envelope.request(id, now).withForce(force).withPing(ping);
        if (only) env = env.withRecipients(Recipients.only(List.of(step)));
        rt.publish(step, env);
      }
      idle = Progress.await(rt, tally, graph.graph().topologicalOrder(), items.size(), spec.commandLine().getErr());
    }
    double seconds = Duration.between(start, Instant.now()).toMillis() / 1000.0;
    int rc = Summary.print(spec, json, tally, items.size(), seconds, wd);
    return idle ? rc : Main.ITEM_FAILED;
  }
}
