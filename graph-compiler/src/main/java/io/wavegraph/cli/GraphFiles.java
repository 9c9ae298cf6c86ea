package io.wavegraph.cli;

import io.wavegraph.local.EmbeddedRuntime;

import io.wavegraph.core.graph.GraphException;
import io.wavegraph.core.graph.GraphParser;
import io.wavegraph.core.graph.ResolvedGraph;
import io.wavegraph.core.step.StepFactory;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/** Loading a graph file for a command, and the defaults that hang off it. */
final class GraphFiles {
  private GraphFiles() {}

  /** Parses and resolves the graph, or prints every problem and throws a usage error. */
  static ResolvedGraph load(Path file, PrintWriter err) {
    if (!Files.isRegularFile(file)) throw new Main.UsageException("graph file not found: " + file);
    try {
      return new GraphParser(StepFactory.fromClassPath(Thread.currentThread().getContextClassLoader())).parse(file);
    } catch (GraphException e) {
      e.problems().forEach(p -> err.println(p));
      throw new Main.UsageException(file + ": " + e.problems().size() + " problem(s); the graph was not run");
    } catch (IOException e) {
      throw new Main.UsageException("cannot read " + file + ": " + e.getMessage());
    }
  }

  /** The default work directory of a graph: {@code .wavegraph/<graph name>} under the current one. */
  static Path workdir(Path given, ResolvedGraph graph) {
    return given != null ? given : Path.of(".wavegraph", graph.graph().name());
  }

  /** The input directory recorded by the last {@code run} in the work directory, unless given. */
  static Path inputDir(Path given, Path workdir) throws IOException {
    if (given != null) return given;
    Path pointer = workdir.resolve(EmbeddedRuntime.INPUT_POINTER);
    if (!Files.isRegularFile(pointer)) {
      throw new Main.UsageException("no --input given and " + workdir + " has no earlier run to take it from");
    }
    return Path.of(Files.readString(pointer).strip());
  }
}
