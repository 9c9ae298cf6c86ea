package io.wavegraph.functions;

import io.wavegraph.core.batch.BatchJobRunner;
import io.wavegraph.core.batch.BatchManifest;
import io.wavegraph.core.pipeline.PipelineListener;
import io.wavegraph.gcp.GcsBlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The entry point of a batch step's Cloud Run Job: one task of one batch. The step's batch
 * workflow writes a {@link BatchManifest} and runs the job with {@code WAVEGRAPH_MANIFEST} (its
 * {@code gs://} URI) as an override; Cloud Run starts {@code CLOUD_RUN_TASK_COUNT} tasks, and this
 * one takes its shard, {@code CLOUD_RUN_TASK_INDEX}. The rest of the environment is a step
 * function's ({@link StepRuntime}: {@code WAVEGRAPH_CONFIG}, emulator hosts).
 * {@code WAVEGRAPH_JOB_PARALLELISM} (default: the processors) sets how many items run at once.
 *
 * <p>Exit status: 0 when every entry of the shard is settled (done, skipped, failed for good, or
 * left to another batch); 1 when some could not be (the ports kept failing), so that Cloud Run
 * retries the task, which resumes without redoing finished items; 2 when the configuration or the
 * manifest is unusable, named on standard error.
 */
public final class BatchJobMain {
  public static final String MANIFEST = io.wavegraph.core.config.FunctionConfigSchema.MANIFEST_ENV;
  private static final Pattern GS_URI = Pattern.compile("gs://([a-z0-9][a-z0-9._-]{1,220}[a-z0-9])/(.+)");

  public static void main(String[] args) {
    System.exit(run(System.getenv(), StepRuntime::log, System.out, System.err));
  }

  /** Runs the task the environment describes; returns the exit status. */
  public static int run(Map<String, String> env, PipelineListener listener, PrintStream out, PrintStream err) {
    int index;
    int count;
    String uri = env.get(MANIFEST);
    try {
      index = intVar(env, "CLOUD_RUN_TASK_INDEX", 0);
      count = intVar(env, "CLOUD_RUN_TASK_COUNT", 1);
      if (count < 1 || index < 0 || index >= count) {
        throw new IllegalArgumentException("CLOUD_RUN_TASK_INDEX " + index + " is not in [0, CLOUD_RUN_TASK_COUNT " + count + ")");
      }
      if (uri == null || uri.isBlank()) throw new IllegalArgumentException(MANIFEST + " is not set: the batch workflow passes the manifest's gs:// URI");
    } catch (IllegalArgumentException e) {
      err.println("wavegraph job: " + e.getMessage());
      return 2;
    }
    try (StepRuntime rt = StepRuntime.create(env, listener)) {
      BatchManifest manifest;
      try {
        manifest = read(rt, uri.strip());
      } catch (BatchManifest.InvalidManifestException e) {
        err.println("wavegraph job: " + e.getMessage());
        return 2;
      }
      int parallelism = intVar(env, "WAVEGRAPH_JOB_PARALLELISM", Runtime.getRuntime().availableProcessors());
      Path scratch = Files.createTempDirectory("wavegraph-job-");
      BatchJobRunner runner = new BatchJobRunner(rt.graph(), rt.config().step(), rt.ports(), rt.layout(),
          new BatchJobRunner.Settings(parallelism, Duration.ofSeconds(1), Duration.ofSeconds(30), scratch), listener);
      long t0 = System.nanoTime();
      BatchJobRunner.Summary s = runner.run(manifest, index, count);
      // One JSON line: Cloud Logging keeps it as a structured entry.
      out.printf("{\"severity\": \"%s\", \"message\": \"batch %s task %d/%d: %d entries, %d processed, %d skipped, "
              + "%d failed, %d held by other batches, %d finished before, %d unfinished in %.1f s\"}%n",
          s.complete() ? "INFO" : "ERROR", s.batch(), index, count, s.entries(), s.processed(), s.skipped(),
          s.failed(), s.heldElsewhere(), s.finishedBefore(), s.unfinished(), (System.nanoTime() - t0) / 1e9);
      return s.complete() ? 0 : 1;
    } catch (IllegalArgumentException | IllegalStateException e) {
      err.println("wavegraph job: " + e.getMessage());
      return 2;
    } catch (IOException e) {
      err.println("wavegraph job: " + e.getMessage());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
  }

  static BatchManifest read(StepRuntime rt, String uri) throws IOException, BatchManifest.InvalidManifestException {
    Matcher m = GS_URI.matcher(uri);
    if (!m.matches()) throw new BatchManifest.InvalidManifestException(MANIFEST + " '" + uri + "' is not a gs://bucket/object URI");
    GcsBlobStore bucket = new GcsBlobStore(rt.storage(), m.group(1));
    if (bucket.stat(m.group(2)).isEmpty()) throw new BatchManifest.InvalidManifestException(uri + ": no such object");
    try (InputStream in = bucket.open(m.group(2))) {
      return BatchManifest.parse(in.readAllBytes(), uri, Instant.now());
    }
  }

  private static int intVar(Map<String, String> env, String name, int fallback) {
    String v = env.get(name);
    if (v == null || v.isBlank()) return fallback;
    try {
      return Integer.parseInt(v.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " is '" + v + "', not a whole number");
    }
  }

  private BatchJobMain() {}
}
