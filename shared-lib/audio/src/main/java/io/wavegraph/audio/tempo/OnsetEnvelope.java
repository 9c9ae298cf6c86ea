package io.wavegraph.audio.tempo;

import io.wavegraph.audio.spectral.RealFft;

import java.util.Arrays;

/**
 * Onset strength of a mono signal at {@link #RATE}: log-magnitude spectral flux on mel bands.
 *
 * <p>Each frame is a 1024-point Hann-windowed FFT every {@link #HOP} samples, summed into 40 mel
 * bands from 30 Hz to 11 kHz and taken in dB. The levels are clipped to 80 dB below the loudest
 * band level of the whole signal (and to an absolute floor), so digital silence, whose log is minus
 * infinity, counts like the quietest sound that matters and a quiet click after silence counts
 * nearly like a loud one. The strength of frame {@code n} is the mean over bands of the increase
 * in level from frame {@code n - 1}. Frame {@code n} is centred on sample {@code (n - LEAD_FRAMES) * HOP}:
 * the first frames look at the silence before the signal.
 *
 * <p>Feed samples with {@link #add} in blocks of any size, then call {@link #finish} once.
 */
final class OnsetEnvelope {
  /** Analysis sample rate, Hz. */
  static final int RATE = 22050;
  /** Samples between frames (5.8 ms). */
  static final int HOP = 128;

  static final int WINDOW = 1024;
  /** Frames centred before the first sample. */
  static final int LEAD_FRAMES = WINDOW / 2 / HOP - 1;
  static final int BANDS = 40;
  /** Upper edge of the "low" bands: kick, snare body, bass and most pitched onsets sit below it; hi-hats mostly above. */
  static final double LOW_BAND_HZ = 2000;
  private static final double RANGE_DB = 80;
  // Far below 16-bit quantisation noise in a band (about -80 dB here): only digital silence sits on it.
  private static final double ABSOLUTE_FLOOR_DB = -100;

  private final RealFft fft = new RealFft(WINDOW);
  private final double[] window = new double[WINDOW];
  private final MelBands mel = new MelBands(WINDOW, RATE, BANDS, 30, 11000);
  private final double[] pending = new double[WINDOW];
  // Silence before the start, so that a sound at sample 0 still rises from one frame to the next.
  private int pendingCount = WINDOW - HOP;
  private final double[] windowed = new double[WINDOW];
  private final double[] re = new double[WINDOW / 2 + 1];
  private final double[] im = new double[WINDOW / 2 + 1];
  private final double[] power = new double[WINDOW / 2 + 1];
  private final double[] bandPower = new double[BANDS];
  private float[] levels = new float[BANDS * 1024];
  private int frames;
  private boolean finished;

  OnsetEnvelope() {
    for (int i = 0; i < WINDOW; i++) {
      window[i] = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / WINDOW);
    }
  }

  /** Appends {@code n} mono samples. */
  void add(float[] samples, int n) {
    for (int i = 0; i < n; i++) {
      pending[pendingCount++] = samples[i];
      if (pendingCount == WINDOW) {
        frame();
        System.arraycopy(pending, HOP, pending, 0, WINDOW - HOP);
        pendingCount = WINDOW - HOP;
      }
    }
  }

  private void frame() {
    for (int i = 0; i < WINDOW; i++) {
      windowed[i] = pending[i] * window[i];
    }
    fft.forward(windowed, re, im);
    for (int k = 0; k <= WINDOW / 2; k++) power[k] = re[k] * re[k] + im[k] * im[k];
    mel.apply(power, bandPower);
    if ((frames + 1) * BANDS > levels.length) {
      levels = Arrays.copyOf(levels, levels.length * 2);
    }
    int at = frames * BANDS;
    for (int b = 0; b < BANDS; b++) {
      levels[at + b] = (float) (10 * Math.log10(bandPower[b] + 1e-30));
    }
    frames++;
  }

  /** Flushes the tail (zero-padded) and returns the band levels, floored, in dB. */
  BandLevels finish() {
    if (finished) {
      throw new IllegalStateException("finish called twice");
    }
    finished = true;
    // Let the last real samples reach the window centre.
    int tail = WINDOW / 2;
    float[] zeros = new float[tail];
    add(zeros, tail);
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < frames * BANDS; i++) {
      max = Math.max(max, levels[i]);
    }
    double floor = Math.max(max - RANGE_DB, ABSOLUTE_FLOOR_DB);
    float[] out = Arrays.copyOf(levels, frames * BANDS);
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) Math.max(out[i], floor);
    }
    return new BandLevels(out, frames, BANDS, mel.bandsBelow(LOW_BAND_HZ), floor, max);
  }

  /**
   * Band levels in dB, {@code [frame * bands + band]}, already clipped to {@code floorDb}; bands
   * {@code [0, lowBands)} lie below {@link #LOW_BAND_HZ}.
   */
  record BandLevels(float[] db, int frames, int bands, int lowBands, double floorDb, double maxDb) {
    /** True when nothing rose above the floor: digital silence or sound too faint to analyse. */
    boolean silent() {
      return !(maxDb > floorDb);
    }
  }
}
