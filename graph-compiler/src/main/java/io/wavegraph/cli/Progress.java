package io.wavegraph.cli;

import io.wavegraph.local.EmbeddedRuntime;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;

/** Waits for the embedded runtime to go idle, showing per-step progress on a terminal. */
final class Progress {
  private Progress() {}

  static void await(EmbeddedRuntime rt, RunTally tally, List<String> steps, int items, PrintWriter err)
      {
    boolean terminal = System.console() != null && System.getenv("CI") == null;
    boolean shown = false;
    while (!rt.awaitIdle(Duration.ofMillis(250))) {
      if (!terminal) continue;
      StringBuilder line = new StringBuilder("\r");
      for (String s : steps) line.append(s).append(' ').append(tally.done(s)).append('/').append(items).append("  ");
      line.append("(").append(rt.outstanding()).append(" queued)   ");
      err.print(line);
      err.flush();
      shown = true;
    }
    if (shown) {
      err.print("\r" + " ".repeat(100) + "\r");
      err.flush();
    }
  }
}
