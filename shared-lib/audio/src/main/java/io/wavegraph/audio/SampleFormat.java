package io.wavegraph.audio;

/** Sample encodings that {@link WavWriter} can write. */
public enum SampleFormat {
  PCM_16(16, false),
  PCM_24(24, false),
  FLOAT_32(32, true);

  private final int bits;
  private final boolean floatingPoint;

  SampleFormat(int bits, boolean floatingPoint) {
    this.bits = bits;
    this.floatingPoint = floatingPoint;
  }

  public int bitsPerSample() {
    return bits;
  }

  public int bytesPerSample() {
    return bits / 8;
  }

  public boolean isFloatingPoint() {
    return floatingPoint;
  }
}
