package io.wavegraph.core.pipeline;

import io.wavegraph.core.step.Blueprint;
import io.wavegraph.core.step.Step;
import io.wavegraph.core.step.StepContext;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Opened instances of one step, each used by one item at a time: opened once when first needed,
 * kept for the next item, closed when the pipeline closes.
 */
final class StepInstances implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(StepInstances.class.getName());
  private final Blueprint blueprint;
  private final String graphName;
  private final Path scratchRoot;
  private final ConcurrentLinkedQueue<Step> idle = new ConcurrentLinkedQueue<>();

  StepInstances(Blueprint blueprint, String graphName, Path scratchRoot) {
    this.blueprint = blueprint;
    this.graphName = graphName;
    this.scratchRoot = scratchRoot;
  }

  Step borrow() throws Exception {
    Step s = idle.poll();
    if (s != null) return s;
    Step fresh = blueprint.newInstance();
    Path dir = java.nio.file.Files.createDirectories(scratchRoot).resolve("instance-" + java.util.UUID.randomUUID());
    java.nio.file.Files.createDirectories(dir);
    fresh.open(new StepContext() {
      @Override
      public String stepName() {
        return blueprint.name();
      }

      @Override
      public String graphName() {
        return graphName;
      }

      @Override
      public Path scratchDir() {
        return dir;
      }
    });
    return fresh;
  }

  void giveBack(Step s) {
    idle.offer(s);
  }

  /** An instance whose run was abandoned (timed out) is closed, never reused. */
  void discard(Step s) {
    closeQuietly(s);
  }

  @Override
  public void close() {
    Step s;
    while ((s = idle.poll()) != null) closeQuietly(s);
  }

  private void closeQuietly(Step s) {
    try {
      s.close();
    } catch (Exception e) {
      LOG.log(Level.WARNING, "closing an instance of step '" + blueprint.name() + "' failed", e);
    }
  }
}
