package io.wavegraph.audio.spectral;

/**
 * How a centred STFT pads the signal by {@code n_fft / 2} at each end (see
 * docs/adr/0004-spectral-frames-pad-with-zeros.md).
 */
public enum PadMode {
  /** Zeros, librosa's default since 0.10 ({@code pad_mode='constant'}). */
  CONSTANT,
  /**
   * Mirror without repeating the edge sample ({@code numpy.pad(mode='reflect')}), librosa's default
   * before 0.10. A signal shorter than the padding is reflected repeatedly, as numpy does.
   */
  REFLECT
}
