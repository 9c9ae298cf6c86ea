package io.wavegraph.audio.spectral;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NpyTest {

  /** The bytes numpy 1.24's {@code np.save} writes before the data, for three shapes. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "2,3     | (2, 3)      | 58",
    "7       | (7,)        | 60",
    "128,1292| (128, 1292) | 53",
  })
  void headerIsWhatNumpySaveWrites(String dims, String shape, int spaces) {
    long[] s = java.util.Arrays.stream(dims.split(",")).mapToLong(Long::parseLong).toArray();
    byte[] h = Npy.header(s);
    assertThat(h.length).isEqualTo(128);
    assertThat(Arrays.copyOf(h, 8)).containsExactly(0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0);
    assertThat(h[8] & 0xFF | (h[9] & 0xFF) << 8).isEqualTo(118); // little-endian header length
    String text = new String(h, 10, 118, StandardCharsets.US_ASCII);
    assertThat(text).isEqualTo("{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + ", }" + " ".repeat(spaces) + "\n");
  }

  @Test
  void dataIsLittleEndianFloat32InRowMajorOrder(@TempDir Path dir) throws Exception {
    FloatMatrix m = new FloatMatrix(2, 3, new float[] {1, 2, 3, 4.5f, -0f, Float.MIN_VALUE});
    Path f = dir.resolve("m.npy");
    Npy.write(f, m);
    byte[] b = Files.readAllBytes(f);
    assertThat(b.length).isEqualTo(128 + 6 * 4);
    ByteBuffer data = ByteBuffer.wrap(b, 128, 24).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : m.data()) assertThat(Float.floatToRawIntBits(data.getFloat())).isEqualTo(Float.floatToRawIntBits(v));
    assertThat(new String(b, 0, 128, StandardCharsets.US_ASCII)).contains("'shape': (2, 3)");
  }
}
