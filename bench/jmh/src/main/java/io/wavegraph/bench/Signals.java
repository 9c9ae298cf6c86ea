package io.wavegraph.bench;

import io.wavegraph.audio.SampleFormat;
import io.wavegraph.audio.WavWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.SplittableRandom;

/** Deterministic benchmark inputs. */
final class Signals {
  private Signals() {}

  /** Interleaved stereo: three harmonic tones, a decaying kick every half second, light noise. */
  static float[] music(int rate, int frames) {
    float[] out = new float[2 * frames];
    SplittableRandom rnd = new SplittableRandom(42);
    for (int i = 0; i < frames; i++) {
      double t = (double) i / rate;
      double tb = t % 0.5;
      double v = 0.2 * Math.sin(2 * Math.PI * 220 * t) + 0.1 * Math.sin(2 * Math.PI * 330 * t)
          + 0.05 * Math.sin(2 * Math.PI * 7040 * t) + 0.5 * Math.exp(-tb * 20) * Math.sin(2 * Math.PI * 60 * tb)
          + 0.01 * (rnd.nextDouble() - 0.5);
      out[2 * i] = (float) v;
      out[2 * i + 1] = (float) (0.9 * v);
    }
    return out;
  }

  static byte[] wav16(float[] stereo, int rate) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (WavWriter w = WavWriter.create(bytes, rate, 2, SampleFormat.PCM_16)) {
      w.write(stereo, stereo.length / 2);
    }
    return bytes.toByteArray();
  }
}
