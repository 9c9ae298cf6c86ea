package io.wavegraph.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code wavegraph} command line. */
@Command(
    name = "wavegraph",
    mixinStandardHelpOptions = true,
    version = "wavegraph 0.1.0",
    description = "Audio processing graphs: run on one machine, deploy to Google Cloud.",
    subcommands = {RunCommand.class, ValidateCommand.class, CompileCommand.class, StatusCommand.class, ReportCommand.class, NewStepCommand.class, PublishCommand.class, EstimateCommand.class, AudioCommand.class})
public final class Main {
  /** Exit status: everything worked. */
  static final int OK = 0;
  /** Exit status: some item failed (the rest was done). */
  static final int ITEM_FAILED = 1;
  /** Exit status: a bad graph or bad arguments. */
  static final int BAD_INPUT = 2;

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the command line and returns its exit status (for tests). */
  public static int execute(String... args) {
    return commandLine().execute(args);
  }

  /** The configured command line, for callers that capture its output. */
  static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Main());
    cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
      cmd.getErr().println("wavegraph: " + (ex.getMessage() == null ? ex.toString() : ex.getMessage()));
      if (System.getenv("WAVEGRAPH_DEBUG") != null) ex.printStackTrace(cmd.getErr());
      return ex instanceof UsageException ? BAD_INPUT : ITEM_FAILED;
    });
    return cli;
  }

  /** A problem with what the user asked for: exit status 2. */
  static final class UsageException extends RuntimeException {
    UsageException(String message) {
      super(message);
    }
  }
}
