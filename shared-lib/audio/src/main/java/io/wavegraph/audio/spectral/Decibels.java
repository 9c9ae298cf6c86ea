package io.wavegraph.audio.spectral;

/** Power in decibels, as librosa's {@code power_to_db}. */
public final class Decibels {
  /** librosa's defaults: ref 1.0, amin 1e-10, top_db 80. */
  public static final double AMIN = 1e-10;

  public static final double TOP_DB = 80.0;

  private Decibels() {}

  /** {@code power_to_db(S, ref=1.0, amin=1e-10, top_db=80)}. */
  public static FloatMatrix powerToDb(FloatMatrix power) {
    return powerToDb(power, 1.0, AMIN, TOP_DB);
  }

  /**
   * {@code 10 log10(max(amin, S)) - 10 log10(max(amin, ref))}, then, when {@code topDb} is finite,
   * raised to at least the matrix's maximum minus {@code topDb}. Returns a new matrix.
   *
   * @param topDb positive, or {@link Double#POSITIVE_INFINITY} for no floor
   */
  public static FloatMatrix powerToDb(FloatMatrix power, double ref, double amin, double topDb) {
    if (!(amin > 0)) throw new IllegalArgumentException("amin must be positive, got " + amin);
    if (!(topDb > 0)) throw new IllegalArgumentException("top_db must be positive, got " + topDb);
    double offset = 10.0 * Math.log10(Math.max(amin, Math.abs(ref)));
    float[] in = power.data();
    float[] out = new float[in.length];
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < in.length; i++) {
      double db = 10.0 * Math.log10(Math.max(amin, in[i])) - offset;
      out[i] = (float) db;
      max = Math.max(max, db);
    }
    if (Double.isFinite(topDb) && in.length > 0) {
      float floor = (float) (max - topDb);
      for (int i = 0; i < out.length; i++) out[i] = Math.max(out[i], floor);
    }
    return new FloatMatrix(power.rows(), power.cols(), out);
  }
}
