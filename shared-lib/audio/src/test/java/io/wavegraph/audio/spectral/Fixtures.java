package io.wavegraph.audio.spectral;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Golden values in {@code src/test/resources/spectral/}, made by {@code make_fixtures.py} there
 * from librosa's formulas in numpy.
 */
final class Fixtures {
  private Fixtures() {}

  /** The lines of a CSV fixture, without the comment lines, split at commas. */
  static List<double[]> csv(String name) throws IOException {
    try (InputStream in = Fixtures.class.getResourceAsStream("/spectral/" + name)) {
      if (in == null) throw new IOException("missing fixture " + name);
      List<double[]> rows = new ArrayList<>();
      for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
        if (line.isBlank() || line.startsWith("#")) continue;
        String[] f = line.split(",");
        double[] r = new double[f.length];
        for (int i = 0; i < f.length; i++) r[i] = Double.parseDouble(f[i]);
        rows.add(r);
      }
      return rows;
    }
  }

  /** make_fixtures.py's test_signal(): 0.5 s at 22050 Hz. */
  static float[] signal() {
    float[] y = new float[11025];
    for (int n = 0; n < y.length; n++) {
      y[n] = (float) (0.5 * Math.sin(2 * Math.PI * 440 * n / 22050) + 0.25 * Math.sin(2 * Math.PI * 3000 * n / 22050)
          + 0.1 * Math.sin(2 * Math.PI * 7919 * n / 22050) * (n / 11025.0));
    }
    return y;
  }
}
