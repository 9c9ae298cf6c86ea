package io.wavegraph.audio.separation;

/**
 * Music/voice separation with the similarity matrix, REPET-SIM (Z. Rafii and B. Pardo, ISMIR 2012):
 * the accompaniment repeats, the voice does not. For every frame the frames most like it (cosine
 * similarity of the magnitude spectra) are found; the median of their spectra is the repeating
 * (background) model of that frame, capped at the mixture. The background mask is model / mixture;
 * the voice (foreground) gets the rest. Below {@code highpassHz} everything is background, as in
 * the paper, since a voice has nothing there.
 *
 * <p>The similarity is computed on the magnitude averaged over the channels, so every channel
 * uses the same repeating frames; the models and masks are per channel. The matrix is computed in
 * row blocks of bounded size, but its cost grows with the square of the duration.
 */
public final class RepetSim {
  /** A block of the similarity matrix holds at most this many cells (64 MiB). */
  private static final int BLOCK_CELLS = 1 << 24;

  /**
   * At most {@code maxRepeats} repeating frames per frame, each at least {@code minSimilarity}
   * similar and {@code minDistanceSeconds} from the others; the cutoff below which all is
   * background. The paper's values are the default.
   */
  public record Settings(int maxRepeats, float minSimilarity, double minDistanceSeconds, double highpassHz) {
    public static final Settings DEFAULT = new Settings(100, 0f, 1.0, 100);

    public Settings {
      if (maxRepeats < 1) throw new IllegalArgumentException("max repeats must be positive, got " + maxRepeats);
      if (!(minSimilarity >= 0 && minSimilarity <= 1)) throw new IllegalArgumentException("min similarity must be in [0, 1], got " + minSimilarity);
      if (!(minDistanceSeconds >= 0)) throw new IllegalArgumentException("min distance must be >= 0, got " + minDistanceSeconds);
      if (!(highpassHz >= 0)) throw new IllegalArgumentException("high-pass cutoff must be >= 0, got " + highpassHz);
    }
  }

  private final Settings settings;

  public RepetSim(Settings settings) {
    this.settings = settings;
  }

  /** The background (accompaniment) mask of each channel; the voice's is 1 minus it. */
  public float[][] backgroundMasks(Mixture mix) {
    SeparationKernels k = mix.kernels();
    int frames = mix.frames();
    int bins = mix.bins();
    int n = frames * bins;
    int channels = mix.channels();
    float[] similarityInput = mix.magnitude(0);
    if (channels > 1) {
      similarityInput = new float[n];
      for (int c = 0; c < channels; c++) {
        float[] m = mix.magnitude(c);
        for (int i = 0; i < n; i++) similarityInput[i] += m[i] / channels;
      }
    }
    int maxRepeats = Math.min(settings.maxRepeats(), frames);
    int minDistance = (int) Math.round(settings.minDistanceSeconds() * mix.sampleRate() / mix.hop());
    int rowsPerBlock = Math.max(1, Math.min(frames, BLOCK_CELLS / frames));
    float[] sim = new float[rowsPerBlock * frames];
    int[] repeats = new int[rowsPerBlock * maxRepeats];
    int[] counts = new int[rowsPerBlock];
    float[][] models = new float[channels][n];
    for (int row = 0; row < frames; row += rowsPerBlock) {
      int rows = Math.min(rowsPerBlock, frames - row);
      k.similarity(similarityInput, frames, bins, row, rows, sim);
      k.repeatingFrames(sim, frames, row, rows, maxRepeats, minDistance, settings.minSimilarity(), repeats, counts);
      for (int c = 0; c < channels; c++) {
        k.repeatingModel(mix.magnitude(c), frames, bins, row, rows, maxRepeats, repeats, counts, models[c]);
      }
    }
    // The model is capped at the mixture, so model / mixture = model / (model + (mixture - model)).
    int lowBins = (int) Math.min(bins, Math.ceil(settings.highpassHz() * mix.fft() / mix.sampleRate()));
    float[][] masks = new float[channels][n];
    float[] rest = new float[n];
    for (int c = 0; c < channels; c++) {
      float[] mag = mix.magnitude(c);
      float[] model = models[c];
      for (int i = 0; i < n; i++) rest[i] = mag[i] - model[i];
      k.softMask(model, rest, n, 1f, masks[c]);
      for (int t = 0; t < frames; t++) java.util.Arrays.fill(masks[c], t * bins, t * bins + lowBins, 1f);
      models[c] = null;
    }
    return masks;
  }

  /** {@code [accompaniment, vocals][channel][sample]}; they sum to the mixture. */
  public float[][][] separate(Mixture mix) {
    return mix.split(backgroundMasks(mix));
  }
}
