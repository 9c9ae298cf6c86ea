package io.wavegraph.audio.tempo;

import java.util.Arrays;

/**
 * The tempo and beats of one signal.
 *
 * @param bpm global tempo in beats per minute; 0 when no regular pulse was found (silence, a
 *     signal shorter than two beats, noise without onsets), and then {@code beats} is empty
 * @param confidence in [0, 1]: how regular the pulse is at that tempo (1 for a metronome, 0 when
 *     there is no tempo); not a probability
 * @param beats beat times in seconds from the start of the signal, ascending
 */
public record TempoResult(double bpm, double confidence, double[] beats) {
  /** The result for a signal with no regular pulse. */
  public static final TempoResult NONE = new TempoResult(0, 0, new double[0]);

  public TempoResult {
    beats = beats.clone();
  }

  /** True when a tempo was found ({@code bpm > 0}). */
  public boolean hasTempo() {
    return bpm > 0;
  }

  /** A copy of the beat times in seconds. */
  @Override
  public double[] beats() {
    return beats.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TempoResult t
        && Double.compare(bpm, t.bpm) == 0
        && Double.compare(confidence, t.confidence) == 0
        && Arrays.equals(beats, t.beats);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * Double.hashCode(bpm) + Double.hashCode(confidence)) + Arrays.hashCode(beats);
  }

  @Override
  public String toString() {
    return "TempoResult[bpm=" + bpm + ", confidence=" + confidence + ", beats=" + beats.length + "]";
  }
}
