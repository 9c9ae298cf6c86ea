package io.wavegraph.audio.spectral;

/**
 * Triangular mel filters over the bins of an {@code nFft}-point spectrum, as librosa's {@code
 * filters.mel}: {@code nMels + 2} edge frequencies equally spaced in mels from {@code fmin} to
 * {@code fmax}; filter {@code m} rises from edge {@code m} to edge {@code m+1} and falls to edge
 * {@code m+2}, evaluated at the bin frequencies {@code k sr / nFft}. With Slaney normalisation
 * (librosa's {@code norm='slaney'}, the default) each filter is scaled by {@code 2 / (edge[m+2] -
 * edge[m])} so that it has unit area in Hz. Immutable and thread-safe.
 */
public final class MelFilterbank {
  private final int sampleRate;
  private final int nFft;
  private final MelScale scale;
  private final double[] edges; // nMels + 2, Hz
  private final double[][] weights; // [nMels][bins]
  private final int[] first; // first non-zero bin of each filter
  private final int[] end; // one past the last non-zero bin

  private MelFilterbank(int sampleRate, int nFft, MelScale scale, double[] edges, double[][] weights) {
    this.sampleRate = sampleRate;
    this.nFft = nFft;
    this.scale = scale;
    this.edges = edges;
    this.weights = weights;
    first = new int[weights.length];
    end = new int[weights.length];
    for (int m = 0; m < weights.length; m++) {
      int a = 0;
      while (a < weights[m].length && weights[m][a] == 0) a++;
      int b = weights[m].length;
      while (b > a && weights[m][b - 1] == 0) b--;
      first[m] = a;
      end[m] = b;
    }
  }

  /**
   * @param fmax the top edge in Hz, at most {@code sampleRate / 2}
   * @param slaneyNorm scale each filter to unit area (else peaks of 1)
   */
  public static MelFilterbank create(
      int sampleRate, int nFft, int nMels, double fmin, double fmax, MelScale scale, boolean slaneyNorm) {
    if (sampleRate <= 0 || nFft < 2 || nMels < 1) {
      throw new IllegalArgumentException("need sampleRate > 0, nFft >= 2, nMels >= 1");
    }
    if (!(fmin >= 0 && fmin < fmax && fmax <= sampleRate / 2.0)) {
      throw new IllegalArgumentException(
          "need 0 <= fmin < fmax <= sampleRate/2, got fmin " + fmin + ", fmax " + fmax + ", sampleRate " + sampleRate);
    }
    int bins = nFft / 2 + 1;
    double[] edges = scale.frequencies(nMels + 2, fmin, fmax);
    double[] fft = new double[bins];
    for (int k = 0; k < bins; k++) {
      // numpy.fft.rfftfreq / librosa.fft_frequencies
      fft[k] = (double) k * sampleRate / nFft;
    }
    double[][] w = new double[nMels][bins];
    for (int m = 0; m < nMels; m++) {
      double lowWidth = edges[m + 1] - edges[m];
      double highWidth = edges[m + 2] - edges[m + 1];
      double norm = slaneyNorm ? 2.0 / (edges[m + 2] - edges[m]) : 1.0;
      for (int k = 0; k < bins; k++) {
        double lower = (fft[k] - edges[m]) / lowWidth;
        double upper = (edges[m + 2] - fft[k]) / highWidth;
        w[m][k] = Math.max(0.0, Math.min(lower, upper)) * norm;
      }
    }
    return new MelFilterbank(sampleRate, nFft, scale, edges, w);
  }

  public int mels() {
    return weights.length;
  }

  public int bins() {
    return nFft / 2 + 1;
  }

  public int sampleRate() {
    return sampleRate;
  }

  public MelScale scale() {
    return scale;
  }

  /** Weight of bin {@code k} in filter {@code m}. */
  public double weight(int m, int k) {
    return weights[m][k];
  }

  /** The {@code nMels + 2} band edges in Hz; filter {@code m} peaks at edge {@code m + 1}. */
  public double[] edges() {
    return edges.clone();
  }

  /** {@code out[m] = sum_k weight(m, k) spectrum[k]}, touching only each filter's non-zero bins. */
  public void apply(double[] spectrum, float[] out, int outOffset) {
    for (int m = 0; m < weights.length; m++) {
      double[] row = weights[m];
      double s = 0;
      for (int k = first[m]; k < end[m]; k++) s += row[k] * spectrum[k];
      out[outOffset + m] = (float) s;
    }
  }
}
