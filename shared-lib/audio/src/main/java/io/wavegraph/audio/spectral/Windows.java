package io.wavegraph.audio.spectral;

/** Analysis windows. */
public final class Windows {
  private Windows() {}

  /**
   * The periodic ("DFT-even") Hann window of length {@code n}: {@code 0.5 - 0.5 cos(2 pi k / n)},
   * equal to scipy's {@code get_window('hann', n, fftbins=True)} and what librosa's STFT uses.
   */
  public static double[] hann(int n) {
    if (n < 1) throw new IllegalArgumentException("window length must be positive, got " + n);
    double[] w = new double[n];
    for (int k = 0; k < n; k++) {
      w[k] = 0.5 - 0.5 * Math.cos(2 * Math.PI * k / n);
    }
    return w;
  }
}
