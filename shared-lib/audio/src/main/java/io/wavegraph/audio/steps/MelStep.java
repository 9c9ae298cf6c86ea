package io.wavegraph.audio.steps;

/**
 * {@code mel}: the mel power spectrogram of the mono mix (librosa's {@code melspectrogram}), shape
 * {@code [n_mels, frames]}, as {@code npy}, and a dB rendering as {@code png}. Parameters: see
 * {@link SpectralSettings}.
 */
public final class MelStep extends SpectralStep {
  public MelStep() {
    super(SpectralSettings.Feature.MEL, true, "Mel spectrogram");
  }
}
