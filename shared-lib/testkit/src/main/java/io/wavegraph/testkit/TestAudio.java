package io.wavegraph.testkit;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Audio bytes for tests that upload a track to a (fake) bucket. */
public final class TestAudio {
  private TestAudio() {}

  /** One second of a 16-bit mono sine of {@code hz} at 44.1 kHz, 0.3 of full scale, as a WAV file. */
  public static byte[] sineWav(double hz) {
    int rate = 44100;
    int n = rate;
    ByteBuffer b = ByteBuffer.allocate(44 + 2 * n).order(ByteOrder.LITTLE_ENDIAN);
    b.put("RIFF".getBytes(UTF_8)).putInt(36 + 2 * n).put("WAVE".getBytes(UTF_8));
    b.put("fmt ".getBytes(UTF_8)).putInt(16).putShort((short) 1).putShort((short) 1).putInt(rate).putInt(2 * rate)
        .putShort((short) 2).putShort((short) 16);
    b.put("data".getBytes(UTF_8)).putInt(2 * n);
    for (int i = 0; i < n; i++) b.putShort((short) (0.3 * 32767 * Math.sin(2 * Math.PI * hz * i / rate)));
    return b.array();
  }
}
