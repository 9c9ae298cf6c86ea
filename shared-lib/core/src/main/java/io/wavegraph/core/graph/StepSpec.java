package io.wavegraph.core.graph;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One step as the graph file declares it.
 *
 * @param uses the built-in transform, or null when {@code className} is given
 * @param className a user's {@code Step} class, or null when {@code uses} is given
 * @param from the parents, in the file's order; empty for a root (which reads the input bucket)
 * @param retries how many times a failed item is retried before it fails for good
 * @param maxInstances the most instances the cloud may run at once, or null for the default
 * @param gpu the GPU type a batch step asks for, or null
 * @param batch how a batch step gathers items, or null
 * @param image the container image a batch step runs, or null (a {@code class} step then runs on
 *     the Wavegraph job runtime image)
 */
public record StepSpec(
    String name,
    String uses,
    String className,
    List<String> from,
    Map<String, Object> params,
    int retries,
    Duration timeout,
    String memory,
    Integer maxInstances,
    StepKind kind,
    String gpu,
    Batch batch,
    String image,
    SourcePosition position) {

  public static final int DEFAULT_RETRIES = 3;
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(300);
  public static final String DEFAULT_MEMORY = "1Gi";

  public StepSpec {
    from = List.copyOf(from);
    params = params == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(params));
  }

  /** A step without a container image of its own. */
  public StepSpec(String name, String uses, String className, List<String> from, Map<String, Object> params,
      int retries, Duration timeout, String memory, Integer maxInstances, StepKind kind, String gpu, Batch batch,
      SourcePosition position) {
    this(name, uses, className, from, params, retries, timeout, memory, maxInstances, kind, gpu, batch, null, position);
  }

  /** The batch step's gathering rule: its own, or {@link Batch#DEFAULT} when it gives none. */
  public Batch batchRule() {
    return batch != null ? batch : Batch.DEFAULT;
  }

  public boolean isRoot() {
    return from.isEmpty();
  }

  /** What the step runs, as written in the graph: {@code uses} or {@code class}. */
  public String transform() {
    return uses != null ? uses : className;
  }

  /**
   * A batch step's gathering rule: up to {@code size} items, or whatever came within {@code maxWait}
   * of the first; the job runs a batch on up to {@code tasks} Cloud Run tasks at once (each takes its
   * shard of the manifest).
   */
  public record Batch(int size, Duration maxWait, int tasks) {
    public static final int DEFAULT_SIZE = 16;
    public static final Duration DEFAULT_WAIT = Duration.ofMinutes(5);
    public static final int DEFAULT_TASKS = 1;
    /** The largest size the parser reads. */
    public static final int MAX_SIZE = 10000;
    /** The largest size the cloud runs: one Pub/Sub pull, and the batch workflow's 512 KB of variables. */
    public static final int MAX_CLOUD_SIZE = 1000;
    public static final int MAX_TASKS = 10000;
    /** The rule of a batch step that gives none: 16 items or 5 minutes, one task. */
    public static final Batch DEFAULT = new Batch(DEFAULT_SIZE, DEFAULT_WAIT);

    /** A batch run by one task. */
    public Batch(int size, Duration maxWait) {
      this(size, maxWait, DEFAULT_TASKS);
    }
  }
}
