package io.wavegraph.functions;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.wavegraph.core.pipeline.PipelineEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One Cloud Run Job task process for the chaos suite: {@link BatchJobMain} as the job image runs
 * it (environment: {@code WAVEGRAPH_CONFIG}, {@code WAVEGRAPH_MANIFEST}, {@code
 * CLOUD_RUN_TASK_INDEX}/{@code COUNT}), instrumented like {@link ChaosInstance}: each completed
 * step body appends {@code PROCESSED <step> <item> <end epoch ms> <run ms> <pid>} to {@code
 * WAVEGRAPH_CHAOS_LOG}.
 */
public final class ChaosJobTask {
  private ChaosJobTask() {}

  public static void main(String[] args) {
    Path log = Path.of(System.getenv("WAVEGRAPH_CHAOS_LOG"));
    long pid = ProcessHandle.current().pid();
    System.exit(BatchJobMain.run(System.getenv(), e -> {
      StepRuntime.log(e);
      if (e.kind() == PipelineEvent.Kind.PROCESSED) {
        String ms = e.detail() == null ? "0" : e.detail().replace(" ms", "");
        append(log, "PROCESSED " + e.step() + " " + e.item() + " " + e.at().toEpochMilli() + " " + ms + " " + pid + "\n");
      }
    }, System.out, System.err));
  }

  private static synchronized void append(Path log, String line) {
    try {
      Files.write(log, line.getBytes(UTF_8), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
