package io.wavegraph.core.pipeline;

/** Receives every {@link PipelineEvent}; called on worker threads, so it must be thread-safe. */
@FunctionalInterface
public interface PipelineListener {
  void on(PipelineEvent event);

  static PipelineListener none() {
    return e -> {};
  }
}
