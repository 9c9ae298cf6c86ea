package io.wavegraph.audio.spectral;

/**
 * The orthonormal DCT-II ({@code scipy.fftpack.dct(type=2, norm='ortho')}), truncated to the first
 * {@code outputs} coefficients: {@code X[k] = s_k sum_n x[n] cos(pi k (2n + 1) / (2N))} with {@code
 * s_0 = sqrt(1/N)}, {@code s_k = sqrt(2/N)}. The full transform is orthogonal, so it preserves
 * energy. Computed as a precomputed matrix product (N is a band count, not a signal length).
 * Immutable and thread-safe.
 */
public final class Dct {
  private final int inputs;
  private final double[][] basis; // [outputs][inputs]

  public Dct(int inputs, int outputs) {
    if (inputs < 1 || outputs < 1 || outputs > inputs) {
      throw new IllegalArgumentException("need 1 <= outputs <= inputs, got " + outputs + " of " + inputs);
    }
    this.inputs = inputs;
    basis = new double[outputs][inputs];
    for (int k = 0; k < outputs; k++) {
      double s = Math.sqrt((k == 0 ? 1.0 : 2.0) / inputs);
      for (int n = 0; n < inputs; n++) {
        basis[k][n] = s * Math.cos(Math.PI * k * (2 * n + 1) / (2.0 * inputs));
      }
    }
  }

  public int inputs() {
    return inputs;
  }

  public int outputs() {
    return basis.length;
  }

  /** Transforms {@code x[0..inputs)} into {@code out[0..outputs)}. */
  public void apply(double[] x, double[] out) {
    for (int k = 0; k < basis.length; k++) {
      double[] b = basis[k];
      double s = 0;
      for (int n = 0; n < inputs; n++) s += b[n] * x[n];
      out[k] = s;
    }
  }

  /** Transforms every column of {@code m} ({@code inputs} rows) into an {@code outputs}-row matrix. */
  public FloatMatrix applyToColumns(FloatMatrix m) {
    if (m.rows() != inputs) throw new IllegalArgumentException("matrix has " + m.rows() + " rows, DCT takes " + inputs);
    FloatMatrix out = FloatMatrix.zeros(basis.length, m.cols());
    double[] x = new double[inputs];
    double[] y = new double[basis.length];
    for (int c = 0; c < m.cols(); c++) {
      for (int r = 0; r < inputs; r++) x[r] = m.get(r, c);
      apply(x, y);
      for (int k = 0; k < y.length; k++) out.set(k, c, (float) y[k]);
    }
    return out;
  }
}
