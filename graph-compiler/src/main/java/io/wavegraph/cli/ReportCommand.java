package io.wavegraph.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wavegraph.core.graph.ResolvedGraph;
import io.wavegraph.core.pipeline.Ports;
import io.wavegraph.core.port.Ledger;
import io.wavegraph.local.DirectoryBlobStore;
import io.wavegraph.local.EmbeddedRuntime;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "report", description = {
    "Writes one self-contained HTML page about the runs in the work directory: the graph with each step's counts, "
        + "failures grouped by reason, every item's steps, versions, input fingerprints, timings and outputs, "
        + "spectrogram thumbnails, and the loudness and tempo of the catalog. It opens from disk and needs no network.",
    "With --backend emulators it reads the Firestore emulator's ledger (see status)."})
final class ReportCommand implements Callable<Integer> {
  /** Where the page's data goes in the template. */
  private static final String DATA_MARK = "/*WAVEGRAPH-DATA*/null";

  @Parameters(index = "0", paramLabel = "GRAPH")
  Path graphFile;

  @Option(names = "--workdir", paramLabel = "DIR", description = "Outputs and ledger (default .wavegraph/<graph>).")
  Path workdir;

  @Option(names = "--input", paramLabel = "DIR", description = "The input folder (default: the last run's).")
  Path input;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "The HTML file to write.")
  Path out;

  @Option(names = "--thumbnails", paramLabel = "N", defaultValue = "60",
      description = "Spectrogram thumbnails to embed at most (about 10 kB each; default ${DEFAULT-VALUE}).")
  int thumbnails;

  @Option(names = "--backend", paramLabel = "KIND", defaultValue = "embedded",
      description = "embedded (default: the work directory's SQLite ledger) or emulators (the Firestore emulator's).")
  Backend backend;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    System.setProperty("java.awt.headless", "true");
    PrintWriter err = spec.commandLine().getErr();
    ResolvedGraph graph = GraphFiles.load(graphFile, err);
    Path wd = GraphFiles.workdir(workdir, graph);
    if (thumbnails < 0) throw new Main.UsageException("--thumbnails must be 0 or more, got " + thumbnails);
    Ledger opened = StatusCommand.openLedger(backend, graph, wd);
    if (opened == null) {
      throw new Main.UsageException(wd + " has no ledger: run the graph first (wavegraph run " + graphFile + " --input DIR)");
    }
    Path outputs = wd.resolve(EmbeddedRuntime.OUTPUTS_DIR).toAbsolutePath().normalize();
    Path page = out.toAbsolutePath().normalize();
    String href = page.getParent().relativize(outputs).toString().replace('\\', '/');
    ObjectNode data;
    try (Ledger ledger = opened) {
      Ports ports = new Ports(null, DirectoryBlobStore.readOnly(GraphFiles.inputDir(input, wd)),
          DirectoryBlobStore.readOnly(outputs), ledger, Clock.systemUTC());
      data = RunPageData.build(graph, ports, ledger, href.isEmpty() ? "" : href + "/", thumbnails, Instant.now());
    }
    Files.createDirectories(page.getParent());
    Files.writeString(page, html(data), StandardCharsets.UTF_8);
    PrintWriter o = spec.commandLine().getOut();
    o.println("report: " + out + " (" + data.withArray("items").size() + " items, " + Files.size(page) / 1024 + " kB)");
    o.flush();
    return Main.OK;
  }

  /** The page: the template with the data inlined as JSON (with {@code <} escaped, so no text can close the script). */
  static String html(ObjectNode data) throws IOException {
    String template;
    try (InputStream in = ReportCommand.class.getResourceAsStream("report-page.html")) {
      if (in == null) throw new IllegalStateException("report-page.html is missing from the build");
      template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    String json = Report.write(data).replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029");
    int at = template.indexOf(DATA_MARK);
    return template.substring(0, at) + json + template.substring(at + DATA_MARK.length());
  }
}
