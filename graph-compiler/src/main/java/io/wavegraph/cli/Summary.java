package io.wavegraph.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;

/** The end of a run or a publish: the per-step table, the failures, the exit status. */
final class Summary {
  private Summary() {}

  static int print(CommandSpec spec, boolean json, RunTally tally, int items, double seconds, Path workdir) {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    var counts = tally.counts();
    var failures = tally.failures();
    PrintWriter human = json ? err : out;
    Report.table(human, List.of("processed", "skipped", "failed"), counts);
    Report.failures(human, "failures:", failures);
    var pings = tally.pings();
    if (!pings.isEmpty()) human.println("pinged (no work done): " + pings);
    human.printf("%d item(s) in %.2f s; work directory %s%n", items, seconds, workdir);
    if (json) {
      ObjectNode node = Report.json(counts, failures);
      node.put("items", items);
      node.put("elapsed_seconds", seconds);
      if (!pings.isEmpty()) pings.forEach(node.putObject("pinged")::put);
      out.println(Report.write(node));
    }
    out.flush();
    err.flush();
    return failures.isEmpty() ? Main.OK : Main.ITEM_FAILED;
  }
}
