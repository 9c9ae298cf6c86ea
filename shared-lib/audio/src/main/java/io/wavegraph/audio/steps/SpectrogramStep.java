package io.wavegraph.audio.steps;

/**
 * {@code spectrogram}: the STFT power (or, with {@code power: 1}, magnitude) spectrogram of the
 * mono mix, shape {@code [n_fft/2 + 1, frames]}, as {@code npy}, and a dB rendering as {@code png}.
 * Parameters: see {@link SpectralSettings}.
 */
public final class SpectrogramStep extends SpectralStep {
  public SpectrogramStep() {
    super(SpectralSettings.Feature.SPECTROGRAM, true, "Spectrogram");
  }
}
