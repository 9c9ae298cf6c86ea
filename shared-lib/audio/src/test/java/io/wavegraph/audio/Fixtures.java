package io.wavegraph.audio;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** Test resources under {@code src/test/resources/<dir>/}, and decoding them whole. */
public final class Fixtures {
  private Fixtures() {}

  public static Path path(String dir, String file) {
    try {
      return Path.of(Fixtures.class.getResource("/" + dir + "/" + file).toURI());
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalArgumentException("no test resource " + dir + "/" + file, e);
    }
  }

  public static byte[] bytes(String dir, String file) {
    try {
      return Files.readAllBytes(path(dir, file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static AudioSource open(byte[] data, String name) throws IOException {
    return AudioDecoders.open(new ByteArrayInputStream(data), name);
  }

  /** Reads a source to its end in blocks of {@code block} frames and closes it. */
  public static float[] decode(AudioSource src, int block) throws IOException {
    try (src) {
      float[] buf = new float[block * src.channels()];
      float[] all = new float[0];
      int total = 0;
      int n;
      while ((n = src.read(buf, block)) > 0) {
        if (all.length < (total + n) * src.channels()) {
          all = Arrays.copyOf(all, Math.max(all.length * 2, (total + n) * src.channels()));
        }
        System.arraycopy(buf, 0, all, total * src.channels(), n * src.channels());
        total += n;
      }
      return Arrays.copyOf(all, total * src.channels());
    }
  }
}
