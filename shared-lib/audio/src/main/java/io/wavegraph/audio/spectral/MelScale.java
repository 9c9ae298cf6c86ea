package io.wavegraph.audio.spectral;

/**
 * Conversions between Hz and mels, as librosa's {@code hz_to_mel} / {@code mel_to_hz}.
 *
 * <ul>
 *   <li>{@link #SLANEY} (librosa's default, from Slaney's Auditory Toolbox): linear below 1 kHz,
 *       {@code f / (200/3)}, logarithmic above with 27 mels per
 *       factor 6.4;
 *   <li>{@link #HTK}: {@code 2595 log10(1 + f / 700)}.
 * </ul>
 */
public enum MelScale {
  SLANEY {
    @Override
    public double toMel(double hz) {
      return hz >= MIN_LOG_HZ ? MIN_LOG_MEL + Math.log(hz / MIN_LOG_HZ) / LOG_STEP : hz / F_SP;
    }

    @Override
    public double toHz(double mel) {
      return mel >= MIN_LOG_MEL ? MIN_LOG_HZ * Math.exp(LOG_STEP * (mel - MIN_LOG_MEL)) : F_SP * mel;
    }
  },
  HTK {
    @Override
    public double toMel(double hz) {
      return 2595.0 * Math.log10(1.0 + hz / 700.0);
    }

    @Override
    public double toHz(double mel) {
      return 700.0 * (Math.pow(10.0, mel / 2595.0) - 1.0);
    }
  };

  private static final double F_SP = 200.0 / 3;
  private static final double MIN_LOG_HZ = 1000.0;
  private static final double MIN_LOG_MEL = MIN_LOG_HZ / F_SP;
  private static final double LOG_STEP = Math.log(6.4) / 27.0;

  public abstract double toMel(double hz);

  public abstract double toHz(double mel);

  /**
   * {@code n} frequencies in Hz equally spaced in mels from {@code fmin} to {@code fmax}
   * inclusive (librosa's {@code mel_frequencies}).
   */
  public double[] frequencies(int n, double fmin, double fmax) {
    double lo = toMel(fmin);
    double hi = toMel(fmax);
    double[] f = new double[n];
    for (int i = 0; i < n; i++) {
      // numpy.linspace: start + i * step, with the last point exactly the end.
      double mel = n == 1 ? lo : (i == n - 1 ? hi : lo + i * ((hi - lo) / (n - 1)));
      f[i] = toHz(mel);
    }
    return f;
  }
}
