package io.wavegraph.audio.flac;

/** The STREAMINFO metadata block. {@code totalSamples} is 0 when unknown; {@code md5} all zero when absent. */
record StreamInfo(
    int minBlockSize,
    int maxBlockSize,
    int sampleRate,
    int channels,
    int bitsPerSample,
    long totalSamples,
    byte[] md5) {

  boolean hasMd5() {
    for (byte b : md5) {
      if (b != 0) {
        return true;
      }
    }
    return false;
  }
}
