package io.wavegraph.compiler.workflows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An error raised inside a workflow (by {@code raise}, a connector or the standard library): {@code except} catches it. */
final class WorkflowError extends RuntimeException {
  final Object value;

  WorkflowError(Object value) {
    super(String.valueOf(value));
    this.value = value;
  }

  /** An error map as Workflows builds them: {@code message} and {@code tags}, plus {@code code} for HTTP errors. */
  static WorkflowError of(String tag, String message) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("message", message);
    m.put("tags", List.of(tag));
    return new WorkflowError(m);
  }

  static WorkflowError http(long code, String message) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("code", code);
    m.put("message", message);
    m.put("tags", List.of("HttpError"));
    return new WorkflowError(m);
  }
}
