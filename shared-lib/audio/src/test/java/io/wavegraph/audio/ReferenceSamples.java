package io.wavegraph.audio;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A reference decoder's output kept compactly beside a lossy fixture ({@code NAME.ref.txt}): its
 * length in frames and every 127th interleaved sample as "index value" lines. Lossy decoders
 * differ in float rounding, so tests compare within a tolerance rather than by checksum.
 */
public record ReferenceSamples(long frames, int[] index, double[] value) {

  public static ReferenceSamples load(Path file) {
    try {
      List<String> lines = Files.readAllLines(file);
      long frames = -1;
      int n = 0;
      int[] index = new int[lines.size()];
      double[] value = new double[lines.size()];
      for (String line : lines) {
        String[] f = line.trim().split("\\s+");
        if (line.startsWith("#") || f.length != 2) {
          continue;
        }
        if (f[0].equals("frames")) {
          frames = Long.parseLong(f[1]);
        } else {
          index[n] = Integer.parseInt(f[0]);
          value[n++] = Double.parseDouble(f[1]);
        }
      }
      return new ReferenceSamples(frames, java.util.Arrays.copyOf(index, n), java.util.Arrays.copyOf(value, n));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Largest |decoded * scale - reference| over the kept samples. */
  public double maxError(float[] decoded, double scale) {
    double max = 0;
    for (int i = 0; i < index.length; i++) {
      max = Math.max(max, Math.abs(decoded[index[i]] * scale - value[i]));
    }
    return max;
  }

  /** Signal-to-error ratio over the kept samples, in dB. */
  public double snrDb(float[] decoded, double scale) {
    double signal = 0;
    double noise = 0;
    for (int i = 0; i < index.length; i++) {
      double e = decoded[index[i]] * scale - value[i];
      signal += value[i] * value[i];
      noise += e * e;
    }
    return 10 * Math.log10(signal / Math.max(noise, 1e-300));
  }
}
