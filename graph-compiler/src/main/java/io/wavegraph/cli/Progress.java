package io.wavegraph.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;

/** Waits for a runtime to go idle, showing per-step progress on a terminal. */
final class Progress {
  private Progress() {}

  /**
   * Waits at most the session's idle timeout; when that passes, says so on {@code err} and
   * returns false (the run is then reported as failed).
   */
  static boolean await(Backend.Session rt, RunTally tally, List<String> steps, int items, PrintWriter err) {
    boolean terminal = System.console() != null && System.getenv("CI") == null;
    boolean shown = false;
    long deadline = System.nanoTime() + Math.min(rt.idleTimeout().toNanos(), Long.MAX_VALUE / 4);
    boolean idle;
    while (!(idle = rt.awaitIdle(Duration.ofMillis(250)))) {
      if (System.nanoTime() > deadline) break;
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
    if (!idle) {
      err.println("timed out: the run did not go idle within " + rt.idleTimeout() + "; " + rt.outstanding()
          + " message(s) still outstanding");
      err.flush();
    }
    return idle;
  }
}
