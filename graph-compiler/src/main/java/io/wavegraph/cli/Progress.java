package io.wavegraph.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.ToIntFunction;

/**
 * Waits for a runtime to go idle and, on a terminal, keeps one live line per step: done/total,
 * items per second and the time left. Without a terminal it prints nothing (logs and {@code
 * --json} stay clean). The clock and the writer are injected, so the drawing is tested without
 * waiting.
 */
final class Progress {
  private static final String ERASE_LINE = "\u001b[2K";

  private final List<String> steps;
  private final int items;
  private final LongSupplier nanos;
  private final PrintWriter out;
  private final long start;
  private final int width;
  private int drawn;

  Progress(List<String> steps, int items, LongSupplier nanos, PrintWriter out) {
    this.steps = List.copyOf(steps);
    this.items = items;
    this.nanos = nanos;
    this.out = out;
    this.start = nanos.getAsLong();
    this.width = steps.stream().mapToInt(String::length).max().orElse(4);
  }

  /**
   * Waits at most the session's idle timeout; when that passes, says so on {@code err} and
   * returns false (the run is then reported as failed).
   */
  static boolean await(Backend.Session rt, RunTally tally, List<String> steps, int items, PrintWriter err) {
    boolean terminal = System.console() != null && System.getenv("CI") == null;
    return await(rt, tally::done, steps, items, err, terminal ? new Progress(steps, items, System::nanoTime, err) : null);
  }

  static boolean await(Backend.Session rt, ToIntFunction<String> done, List<String> steps, int items, PrintWriter err,
      Progress live) {
    long deadline = System.nanoTime() + Math.min(rt.idleTimeout().toNanos(), Long.MAX_VALUE / 4);
    boolean idle;
    while (!(idle = rt.awaitIdle(Duration.ofMillis(250)))) {
      if (System.nanoTime() > deadline) break;
      if (live != null) live.draw(done, rt.outstanding());
    }
    if (live != null) live.clear();
    if (!idle) {
      err.println("timed out: the run did not go idle within " + rt.idleTimeout() + "; " + rt.outstanding()
          + " message(s) still outstanding");
      err.flush();
    }
    return idle;
  }

  /** Redraws the block of lines in place (the cursor goes back up over the previous block). */
  void draw(ToIntFunction<String> done, long queued) {
    double seconds = (nanos.getAsLong() - start) / 1e9;
    StringBuilder b = new StringBuilder();
    if (drawn > 0) b.append("\u001b[").append(drawn).append('A');
    for (String s : steps) b.append('\r').append(ERASE_LINE).append(line(s, done.applyAsInt(s), seconds)).append('\n');
    b.append('\r').append(ERASE_LINE).append(queued).append(" message(s) queued\n");
    out.print(b);
    out.flush();
    drawn = steps.size() + 1;
  }

  /** Erases the block, so the summary that follows starts where it began. */
  void clear() {
    if (drawn == 0) return;
    StringBuilder b = new StringBuilder("\u001b[").append(drawn).append('A');
    for (int i = 0; i < drawn; i++) b.append('\r').append(ERASE_LINE).append('\n');
    b.append("\u001b[").append(drawn).append('A');
    out.print(b);
    out.flush();
    drawn = 0;
  }

  /** {@code loudness   120/1000   15.2 items/s   ETA 58s}. */
  String line(String step, int done, double seconds) {
    double rate = seconds > 0 ? done / seconds : 0;
    String eta;
    if (done >= items) eta = "done";
    else if (rate <= 0) eta = "ETA --";
    else eta = "ETA " + duration((items - done) / rate);
    int digits = String.valueOf(items).length();
    return String.format("%-" + width + "s  %" + digits + "d/%d  %7.1f items/s  %s", step, done, items, rate, eta);
  }

  /** 42s, 3m05s, 2h07m. */
  static String duration(double seconds) {
    long s = (long) Math.ceil(seconds);
    if (s < 60) return s + "s";
    if (s < 3600) return String.format("%dm%02ds", s / 60, s % 60);
    return String.format("%dh%02dm", s / 3600, (s % 3600) / 60);
  }
}
