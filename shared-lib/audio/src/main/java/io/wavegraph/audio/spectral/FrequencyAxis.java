package io.wavegraph.audio.spectral;

/**
 * What the rows of a spectrogram are, for drawing it: row {@code r} (fractional rows in between)
 * is centred on {@link #hz}{@code (r)}. Rows are evenly spaced in Hz ({@link Linear}) or in mels
 * ({@link Mel}).
 */
public sealed interface FrequencyAxis {
  int rows();

  /** The frequency at the centre of (fractional) row {@code row}. */
  double hz(double row);

  /** The (fractional) row centred on {@code hz}; the inverse of {@link #hz}. */
  double row(double hz);

  /** STFT bins: row {@code k} is {@code k sr / nFft}, {@code nFft / 2 + 1} rows from 0 to sr/2. */
  record Linear(int sampleRate, int nFft) implements FrequencyAxis {
    @Override
    public int rows() {
      return nFft / 2 + 1;
    }

    @Override
    public double hz(double row) {
      return row * sampleRate / nFft;
    }

    @Override
    public double row(double hz) {
      return hz * nFft / sampleRate;
    }
  }

  /** Mel bands: band {@code m} peaks at the {@code (m+1)}-th of {@code rows + 2} mel-spaced edges. */
  record Mel(MelScale scale, double fmin, double fmax, int rows) implements FrequencyAxis {
    @Override
    public double hz(double row) {
      return scale.toHz(scale.toMel(fmin) + (row + 1) * step());
    }

    @Override
    public double row(double hz) {
      return (scale.toMel(hz) - scale.toMel(fmin)) / step() - 1;
    }

    private double step() {
      return (scale.toMel(fmax) - scale.toMel(fmin)) / (rows + 1);
    }
  }
}
