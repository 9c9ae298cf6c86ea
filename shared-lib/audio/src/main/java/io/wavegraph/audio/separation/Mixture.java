package io.wavegraph.audio.separation;

/**
 * A multichannel signal and its STFT, made once and shared by every method that separates it.
 * Channel c's spectrum is {@code re[c]}, {@code im[c]} and {@code magnitude[c]}, each {@code frames
 * * bins}, row-major by frame (see {@link SeparationKernels}).
 */
public final class Mixture {
  private final SeparationKernels kernels;
  private final float[][] signal;
  private final int samples;
  private final int sampleRate;
  private final int fft;
  private final int hop;
  private final int frames;
  private final int bins;
  private final float[][] re;
  private final float[][] im;
  private final float[][] magnitude;

  private Mixture(SeparationKernels kernels, float[][] signal, int samples, int sampleRate, int fft, int hop) {
    this.kernels = kernels;
    this.signal = signal;
    this.samples = samples;
    this.sampleRate = sampleRate;
    this.fft = fft;
    this.hop = hop;
    this.frames = SeparationKernels.frames(samples, hop);
    this.bins = fft / 2 + 1;
    int channels = signal.length;
    re = new float[channels][frames * bins];
    im = new float[channels][frames * bins];
    magnitude = new float[channels][frames * bins];
    for (int c = 0; c < channels; c++) {
      kernels.stft(signal[c], samples, fft, hop, re[c], im[c]);
      kernels.magnitude(re[c], im[c], frames * bins, magnitude[c]);
    }
  }

  /**
   * Analyses {@code signal[c][0 .. samples)} for each channel c with an STFT of size {@code fft}
   * (a power of two) and hop {@code hop} (at most {@code fft / 2}). The arrays are kept, not copied.
   */
  public static Mixture analyse(
      SeparationKernels kernels, float[][] signal, int samples, int sampleRate, int fft, int hop) {
    if (signal.length == 0) throw new IllegalArgumentException("no channels");
    return new Mixture(kernels, signal, samples, sampleRate, fft, hop);
  }

  /**
   * Splits the mixture with a mask per channel (values in [0, 1]): the first stem is the mixture's
   * STFT times the mask, resynthesised; the second is the rest, the mixture minus the first, which
   * is what the complementary mask would give (the inverse STFT is linear and exact), at the cost
   * of one transform less. The two stems sum to the mixture up to rounding.
   *
   * @return {@code [stem][channel][sample]}
   */
  public float[][][] split(float[][] masks) {
    int channels = signal.length;
    float[][] masked = new float[channels][];
    float[][] rest = new float[channels][];
    int n = frames * bins;
    float[] maskedRe = new float[n];
    float[] maskedIm = new float[n];
    for (int c = 0; c < channels; c++) {
      kernels.applyMask(re[c], im[c], masks[c], n, maskedRe, maskedIm);
      float[] stem = new float[samples];
      kernels.istft(maskedRe, maskedIm, frames, fft, hop, stem, samples);
      float[] other = new float[samples];
      float[] x = signal[c];
      for (int i = 0; i < samples; i++) other[i] = x[i] - stem[i];
      masked[c] = stem;
      rest[c] = other;
    }
    return new float[][][] {masked, rest};
  }

  public SeparationKernels kernels() {
    return kernels;
  }

  public int channels() {
    return signal.length;
  }

  public int samples() {
    return samples;
  }

  public int sampleRate() {
    return sampleRate;
  }

  public int fft() {
    return fft;
  }

  public int hop() {
    return hop;
  }

  public int frames() {
    return frames;
  }

  public int bins() {
    return bins;
  }

  /** Channel c's magnitude spectrogram (shared; do not modify). */
  public float[] magnitude(int c) {
    return magnitude[c];
  }
}
