package io.wavegraph.audio.spectral;

import java.util.List;

/**
 * A dense {@code rows x cols} matrix of floats in row-major (C) order: a feature matrix with one
 * row per frequency bin, mel band or coefficient and one column per frame, as librosa shapes it.
 * The data array is shared, not copied.
 */
public record FloatMatrix(int rows, int cols, float[] data) {
  public FloatMatrix {
    if (rows < 0 || cols < 0 || (long) rows * cols != data.length) {
      throw new IllegalArgumentException("data holds " + data.length + " values, not " + rows + " x " + cols);
    }
  }

  public static FloatMatrix zeros(int rows, int cols) {
    return new FloatMatrix(rows, cols, new float[Math.multiplyExact(rows, cols)]);
  }

  /** Stacks {@code columns} (each of length {@code rows}) side by side. */
  public static FloatMatrix fromColumns(int rows, List<float[]> columns) {
    int cols = columns.size();
    float[] d = new float[Math.multiplyExact(rows, cols)];
    for (int c = 0; c < cols; c++) {
      float[] col = columns.get(c);
      for (int r = 0; r < rows; r++) d[r * cols + c] = col[r];
    }
    return new FloatMatrix(rows, cols, d);
  }

  public float get(int row, int col) {
    return data[row * cols + col];
  }

  public void set(int row, int col, float v) {
    data[row * cols + col] = v;
  }

  /** The largest value; negative infinity for an empty matrix. */
  public float max() {
    float m = Float.NEGATIVE_INFINITY;
    for (float v : data) m = Math.max(m, v);
    return m;
  }

  /** {@code [rows, cols]}, for a .npy header. */
  public long[] shape() {
    return new long[] {rows, cols};
  }
}
