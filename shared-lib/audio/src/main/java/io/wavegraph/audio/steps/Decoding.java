package io.wavegraph.audio.steps;

import io.wavegraph.audio.AudioDecoders;
import io.wavegraph.audio.AudioFormatException;
import io.wavegraph.audio.AudioSource;
import io.wavegraph.core.step.BadInputException;
import java.io.IOException;
import java.nio.file.Path;

/** Opening a step's input as audio, with decoder errors turned into item failures. */
final class Decoding {
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

  /** Reads the next block; a decoding error mid-file fails the item the same way. */
  static int read(AudioSource source, float[] buffer, int frames, String name) throws IOException, BadInputException {
    try {
      return source.read(buffer, frames);
    } catch (AudioFormatException e) {
      throw new BadInputException(name + ": " + e.problem(), e);
    }
  }
}
