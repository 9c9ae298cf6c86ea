package io.wavegraph.compiler.workflows;

import java.util.Map;

/** The calls with effects outside the workflow: Google API connectors and {@code sys.sleep}/{@code sys.log}. */
interface Connectors {
  boolean has(String name);

  /**
   * @throws WorkflowError as the connector would raise it (an HTTP error has {@code code})
   */
  Object call(String name, Map<String, Object> args);
}
