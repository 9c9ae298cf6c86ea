package io.wavegraph.audio.steps;

/**
 * {@code mfcc}: mel-frequency cepstral coefficients of the mono mix (librosa's {@code mfcc}: the
 * orthonormal DCT-II of the mel spectrogram in dB), shape {@code [n_mfcc, frames]}, as {@code npy}.
 * Parameters: see {@link SpectralSettings}.
 */
public final class MfccStep extends SpectralStep {
  public MfccStep() {
    super(SpectralSettings.Feature.MFCC, false, "MFCC");
  }
}
