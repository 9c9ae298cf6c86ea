package io.wavegraph.core.step;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The inputs of one item. A root step reads the object from the input bucket; any other step
 * reads its parents' outputs. Files are local and readable for the duration of {@code process}.
 */
public interface StepInput {
  /** The item id, e.g. {@code tracks/ab12}. */
  String item();

  /** The parent steps, in the order of the graph's {@code from}; empty for a root. */
  List<String> parents();

  /**
   * The primary input: the input object for a root, the sole parent's primary output otherwise.
   *
   * @throws IllegalStateException for a join, which must name the parent
   */
  Path file() throws IOException;

  /** The primary output of {@code parent}. */
  Path file(String parent) throws IOException;

  /** The output {@code output} of {@code parent}. */
  Path file(String parent, String output) throws IOException;

  /**
   * A name for the primary input that people recognise, for error messages: the input object's
   * key for a root (with its extension), the parent's output key otherwise.
   */
  String name();

  /**
   * One file as a root's input, outside any graph (to try a step on a file): the item is the file's
   * name, and it has no parents.
   */
  static StepInput ofFile(Path file) {
    return new StepInput() {
      @Override
      public String item() {
        return file.getFileName().toString();
      }

      @Override
      public List<String> parents() {
        return List.of();
      }

      @Override
      public Path file() {
        return file;
      }

      @Override
      public Path file(String parent) {
        throw new UnsupportedOperationException("a single file has no parents");
      }

      @Override
      public Path file(String parent, String output) {
        throw new UnsupportedOperationException("a single file has no parents");
      }

      @Override
      public String name() {
        return file.toString();
      }
    };
  }
}
