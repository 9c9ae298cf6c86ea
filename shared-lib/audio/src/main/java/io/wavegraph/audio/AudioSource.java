package io.wavegraph.audio;

import java.io.Closeable;
import java.io.IOException;

/**
 * A stream of decoded audio as interleaved {@code float} samples, nominally in [-1, 1].
 *
 * <p>Callers may rely on: the format accessors never change after opening; {@link #read} decodes
 * incrementally (a source never holds the whole file in memory); and any defect in the encoded data
 * surfaces as an {@link AudioFormatException} whose message names the input and the problem.
 * Integer formats are scaled by {@code 2^-(bits-1)}, so they never exceed [-1, 1); floating-point
 * sources are passed through unclipped. A source is not thread-safe.
 */
public interface AudioSource extends Closeable {

  /** Frames per second. */
  int sampleRate();

  /** Samples per frame (interleaved in {@link #read}). */
  int channels();

  /** Total frames if the container declares them, otherwise -1. */
  long frames();

  /** Bit depth of the encoded samples (informative; samples are always delivered as floats). */
  int bitsPerSample();

  /**
   * Decodes up to {@code maxFrames} frames into {@code interleaved} starting at index 0.
   *
   * @return the number of frames written (at least 1 while data remains), or -1 at the end
   * @throws AudioFormatException if the encoded data is corrupt or truncated
   * @throws IOException if reading the underlying input fails
   */
  int read(float[] interleaved, int maxFrames) throws IOException;
}
