package io.wavegraph.audio.separation;

/**
 * Harmonic/percussive separation by median filtering (D. FitzGerald, "Harmonic/percussive
 * separation using median filtering", DAFx 2010). In the magnitude spectrogram a harmonic sound is
 * a horizontal line and a percussive one a vertical line: a median across time keeps the first, a
 * median across frequency the second. Each cell of the mixture goes to the two stems in proportion
 * to {@code H^p} and {@code P^p} (the soft mask of the paper's section 3, with {@code p = 2} a
 * Wiener filter), and the stems are resynthesised with the mixture's phase.
 */
public final class Hpss {
  /**
   * The filter lengths in frames (harmonic) and bins (percussive), both odd, and the mask power.
   */
  public record Settings(int harmonicKernel, int percussiveKernel, float power) {
    public static final Settings DEFAULT = new Settings(17, 17, 2f);

    public Settings {
      if (harmonicKernel < 1 || harmonicKernel % 2 == 0) throw new IllegalArgumentException("harmonic kernel must be odd, got " + harmonicKernel);
      if (percussiveKernel < 1 || percussiveKernel % 2 == 0) throw new IllegalArgumentException("percussive kernel must be odd, got " + percussiveKernel);
      if (!(power > 0)) throw new IllegalArgumentException("mask power must be positive, got " + power);
    }
  }

  private final Settings settings;

  public Hpss(Settings settings) {
    this.settings = settings;
  }

  /** The harmonic mask of each channel (the percussive one is 1 minus it). */
  public float[][] harmonicMasks(Mixture mix) {
    SeparationKernels k = mix.kernels();
    int n = mix.frames() * mix.bins();
    float[] harmonic = new float[n];
    float[] percussive = new float[n];
    float[][] masks = new float[mix.channels()][];
    for (int c = 0; c < mix.channels(); c++) {
      float[] mag = mix.magnitude(c);
      k.medianAlongTime(mag, mix.frames(), mix.bins(), settings.harmonicKernel(), harmonic);
      k.medianAlongFrequency(mag, mix.frames(), mix.bins(), settings.percussiveKernel(), percussive);
      masks[c] = new float[n];
      k.softMask(harmonic, percussive, n, settings.power(), masks[c]);
    }
    return masks;
  }

  /** {@code [harmonic, percussive][channel][sample]}; they sum to the mixture. */
  public float[][][] separate(Mixture mix) {
    return mix.split(harmonicMasks(mix));
  }
}
