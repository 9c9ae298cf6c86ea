package io.wavegraph.core.config;

import io.wavegraph.core.graph.StepSpec;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * The names both sides of a step's configuration agree on ({@value #SCHEMA}, described in {@code
 * docs/function-config.md}): the compiler writes them, the functions and jobs read them. One copy,
 * so that a renamed field cannot leave a deployed step reading a default.
 */
public final class FunctionConfigSchema {
  /** The schema id; a reader refuses any other. */
  public static final String SCHEMA = "wavegraph.function-config/v1";
  /** The environment variable holding the configuration's JSON text. */
  public static final String CONFIG_ENV = "WAVEGRAPH_CONFIG";
  /** The environment variable holding a batch job's manifest URI. */
  public static final String MANIFEST_ENV = "WAVEGRAPH_MANIFEST";
  /** The Firestore collection of the ledger. */
  public static final String LEDGER_COLLECTION = "ledger";
  /** The timestamp field after which Firestore deletes a ledger record. */
  public static final String LEDGER_TTL_FIELD = "expireAt";

  /** Fields of the {@code job} object that carry the batch rule. */
  public static final String BATCH_SIZE = "batch_size";
  public static final String BATCH_WAIT_SECONDS = "batch_wait_seconds";
  public static final String BATCH_TASKS = "batch_tasks";

  private FunctionConfigSchema() {}

  /** The batch rule as the {@code job} object holds it: always the rule the step runs by. */
  public static Map<String, Object> batchFields(StepSpec.Batch rule) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(BATCH_SIZE, rule.size());
    m.put(BATCH_WAIT_SECONDS, rule.maxWait().toSeconds());
    m.put(BATCH_TASKS, rule.tasks());
    return m;
  }

  /**
   * The batch rule from the {@code job} object's fields; {@code field} returns a field's value, or
   * -1 when the field is absent (then {@link StepSpec.Batch#DEFAULT}'s value stands).
   */
  public static StepSpec.Batch batchRule(ToIntFunction<String> field) {
    StepSpec.Batch d = StepSpec.Batch.DEFAULT;
    int size = field.applyAsInt(BATCH_SIZE);
    int wait = field.applyAsInt(BATCH_WAIT_SECONDS);
    int tasks = field.applyAsInt(BATCH_TASKS);
    return new StepSpec.Batch(size < 0 ? d.size() : size, wait < 0 ? d.maxWait() : Duration.ofSeconds(wait),
        tasks < 0 ? d.tasks() : tasks);
  }
}
