package io.wavegraph.core.step;

import java.util.List;

/**
 * One audio transform. A step sees only its typed inputs and writes its outputs through the
 * runtime; it never imports a cloud client, a bus or a ledger.
 *
 * <p>Lifecycle: the runtime creates an instance, calls {@link #configure} once with the step's
 * parameters (also when a graph is only validated), {@link #open} once before the first item,
 * {@link #process} once per item, one item at a time per instance, and {@link #close} when the
 * instance is retired. A runtime may run several instances of one step at once.
 *
 * <p>Failures: {@link BadInputException} fails the item at once (no retry; the reason goes to the
 * ledger and the dead letter). Any other exception is retried with backoff up to the step's
 * {@code retries}, then the item fails with that exception's message. A step that runs past its
 * {@code timeout} is interrupted and retried the same way; its instance is set aside and closed
 * when that {@code process} call returns, never while it still runs (native code that ignores the
 * interrupt keeps its resources until it is done), and never given another item.
 */
public interface Step extends AutoCloseable {

  /**
   * The code version. Change it when the step's output for the same input and parameters
   * changes; results made by another version are stale and are redone.
   */
  default String version() {
    return "1";
  }

  /**
   * The names of the outputs written for each item, primary first. Each is stored as {@code
   * {step}/{item}.{name}}, so a name usually ends with a file extension: {@code wav}, {@code json}.
   * Called after {@link #configure}.
   */
  default List<String> outputs() {
    return List.of("out");
  }

  /**
   * Reads and checks the parameters. Every parameter the graph gives must be read here: one that
   * is not is reported as unknown.
   *
   * @throws BadParameterException naming the parameter and what is wrong with it
   */
  default void configure(Params params) throws BadParameterException {}

  /** Loads what is shared by every item (models, tables). Called once per instance. */
  default void open(StepContext context) throws Exception {}

  /** Processes one item: reads {@code input}, writes every declared output to {@code output}. */
  void process(StepInput input, StepOutput output) throws Exception;

  @Override
  default void close() throws Exception {}
}
