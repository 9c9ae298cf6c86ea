package io.wavegraph.functions;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.wavegraph.core.pipeline.PipelineEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One step function instance process for the chaos suite: the step that {@code WAVEGRAPH_CONFIG}
 * configures (as a deployed {@link StepFunction} reads it), hosted by the Functions Framework
 * invoker's handler on 127.0.0.1 at the port given as the only argument, so that a restarted
 * instance is reached by the same push subscription. It serves until it is killed.
 *
 * <p>Instrumented for the suite: each step body that ran to completion and was recorded appends
 * one line {@code PROCESSED <step> <item> <end epoch ms> <run ms> <pid>} to the file named by
 * {@code WAVEGRAPH_CHAOS_LOG} (an append of one short line, whole or not at all when the process is
 * killed). Every pipeline event also goes to standard error.
 */
public final class ChaosInstance {
  private ChaosInstance() {}

  /** The step function of {@code runtime}, whatever transform it runs. */
  private static final class Hosted extends StepFunction {
    Hosted(StepRuntime runtime) {
      super(runtime);
    }
  }

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    Path log = Path.of(System.getenv("WAVEGRAPH_CHAOS_LOG"));
    long pid = ProcessHandle.current().pid();
    StepRuntime runtime = StepRuntime.create(System.getenv(), e -> {
      StepRuntime.log(e);
      if (e.kind() == PipelineEvent.Kind.PROCESSED) {
        String ms = e.detail() == null ? "0" : e.detail().replace(" ms", "");
        append(log, "PROCESSED " + e.step() + " " + e.item() + " " + e.at().toEpochMilli() + " " + ms + " " + pid + "\n");
      }
    });
    InvokerHost host = InvokerHost.of(new Hosted(runtime), port);
    System.out.println("LISTENING " + host.port());
    System.out.flush();
    Thread.currentThread().join();
  }

  private static synchronized void append(Path log, String line) {
    try {
      Files.write(log, line.getBytes(UTF_8), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
