package io.wavegraph.audio.steps;

import io.wavegraph.audio.AudioDecoders;
import io.wavegraph.audio.AudioFormatException;
import io.wavegraph.audio.AudioSource;
import io.wavegraph.core.step.BadInputException;
import java.io.IOException;
import java.nio.file.Path;

/** Opening a step's input as audio, with decoder errors turned into item failures. */
final class Decoding {
  private static final int BLOCK = 8192;

  private Decoding() {}

  /**
   * Opens the file; a file that is not audio we can decode fails the item (no retry), with the
   * decoder's reason naming {@code name}.
   */
  static AudioSource open(Path file, String name) throws IOException, BadInputException {
    try {
      return AudioDecoders.open(file);
    } catch (AudioFormatException e) {
      throw new BadInputException(name + ": " + e.problem(), e);
    }
  }

  /** Receives decoded blocks of interleaved frames. */
  @FunctionalInterface
  interface BlockSink {
    void accept(float[] interleaved, int frames);
  }

  /**
   * Decodes the rest of {@code source} block by block into {@code sink}, stopping with an
   * InterruptedException between blocks when the step's run is abandoned (its timeout).
   *
   * @return the frames read
   */
  static long readAll(AudioSource source, String name, BlockSink sink)
      throws IOException, BadInputException, InterruptedException {
    float[] buf = new float[BLOCK * source.channels()];
    long frames = 0;
    int n;
    while ((n = read(source, buf, BLOCK, name)) > 0) {
      sink.accept(buf, n);
      frames += n;
      if (Thread.interrupted()) throw new InterruptedException("reading " + name + " interrupted");
    }
    return frames;
  }

  /** Reads the next block; a decoding error mid-file fails the item the same way. */
  static int read(AudioSource source, float[] buffer, int frames, String name) throws IOException, BadInputException {
    try {
      return source.read(buffer, frames);
    } catch (AudioFormatException e) {
      throw new BadInputException(name + ": " + e.problem(), e);
    }
  }
}
