package io.wavegraph.audio.internal;

/** A second-order IIR section (transposed direct form II, double precision), one per channel. */
public final class Biquad {
  final double b0;
  final double b1;
  final double b2;
  final double a1;
  final double a2;
  private double z1;
  private double z2;

  public Biquad(double b0, double b1, double b2, double a1, double a2) {
    this.b0 = b0;
    this.b1 = b1;
    this.b2 = b2;
    this.a1 = a1;
    this.a2 = a2;
  }

  public double process(double x) {
    double y = b0 * x + z1;
    z1 = b1 * x - a1 * y + z2;
    z2 = b2 * x - a2 * y;
    return y;
  }

  /** {b0, b1, b2, a1, a2} with a0 normalised to 1. */
  public double[] coefficients() {
    return new double[] {b0, b1, b2, a1, a2};
  }

  /**
   * Stage 1 of the BS.1770 K-weighting: a high shelf of about +4 dB above ~1.7 kHz, from its analog
   * prototype by the bilinear transform with the frequency pre-warped to {@code sampleRate}.
   */
  public static Biquad kWeightingShelf(double sampleRate) {
    double f0 = 1681.974450955533;
    double gainDb = 3.999843853973347;
    double q = 0.7071752369554196;
    double k = Math.tan(Math.PI * f0 / sampleRate);
    double vh = Math.pow(10, gainDb / 20);
    double vb = Math.pow(vh, 0.4996667741545416);
    double a0 = 1 + k / q + k * k;
    return new Biquad(
        (vh + vb * k / q + k * k) / a0,
        2 * (k * k - vh) / a0,
        (vh - vb * k / q + k * k) / a0,
        2 * (k * k - 1) / a0,
        (1 - k / q + k * k) / a0);
  }

  /**
   * Stage 2 of the K-weighting: the "RLB" second-order high-pass at ~38 Hz. As in the published
   * 48 kHz table, its numerator is left as 1, -2, 1 (unity gain is within 0.01 dB of that).
   */
  public static Biquad kWeightingHighPass(double sampleRate) {
    double f0 = 38.13547087602444;
    double q = 0.5003270373238773;
    double k = Math.tan(Math.PI * f0 / sampleRate);
    double a0 = 1 + k / q + k * k;
    return new Biquad(1, -2, 1, 2 * (k * k - 1) / a0, (1 - k / q + k * k) / a0);
  }
}
