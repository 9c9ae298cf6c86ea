package io.wavegraph.audio.wav;

import io.wavegraph.audio.AudioFormatException;

/** The validated content of a fmt chunk. */
record WavFormat(int channels, int sampleRate, int containerBytes, int validBits, boolean floatingPoint) {
  private static final int PCM = 0x0001;
  private static final int IEEE_FLOAT = 0x0003;
  private static final int EXTENSIBLE = 0xFFFE;
  // KSDATAFORMAT_SUBTYPE_* GUIDs share these 14 bytes after the two-byte format code.
  private static final byte[] GUID_TAIL = {
    0x00, 0x00, 0x00, 0x00, 0x10, 0x00, (byte) 0x80, 0x00, 0x00, (byte) 0xAA, 0x00, 0x38, (byte) 0x9B, 0x71
  };

  int blockAlign() {
    return channels * containerBytes;
  }

  static WavFormat parse(byte[] fmt, int size, String name) throws AudioFormatException {
    if (size < 16) {
      throw new AudioFormatException(name, "fmt chunk is " + size + " bytes, expected at least 16");
    }
    int tag = LittleEndianInput.u16(fmt, 0);
    int channels = LittleEndianInput.u16(fmt, 2);
    long rate = LittleEndianInput.u32(fmt, 4);
    int blockAlign = LittleEndianInput.u16(fmt, 12);
    int bits = LittleEndianInput.u16(fmt, 14);
    int validBits = bits;
    if (tag == EXTENSIBLE) {
      if (size < 40) {
        throw new AudioFormatException(name, "WAVE_FORMAT_EXTENSIBLE fmt chunk is " + size + " bytes, expected 40");
      }
      validBits = LittleEndianInput.u16(fmt, 18);
      if (validBits == 0 || validBits > bits) {
        validBits = bits;
      }
      for (int i = 0; i < GUID_TAIL.length; i++) {
        if (fmt[26 + i] != GUID_TAIL[i]) {
          throw new AudioFormatException(name, "unsupported WAVE_FORMAT_EXTENSIBLE sub-format GUID");
        }
      }
      tag = LittleEndianInput.u16(fmt, 24);
    }
    if (tag != PCM && tag != IEEE_FLOAT) {
      throw new AudioFormatException(
          name,
          String.format(
              "unsupported WAV format tag 0x%04X (only PCM, IEEE float and EXTENSIBLE of those)", tag));
    }
    if (channels == 0) {
      throw new AudioFormatException(name, "fmt chunk declares 0 channels");
    }
    if (rate == 0 || rate > Integer.MAX_VALUE) {
      throw new AudioFormatException(name, "fmt chunk declares sample rate " + rate);
    }
    boolean isFloat = tag == IEEE_FLOAT;
    if (isFloat ? bits != 32 && bits != 64 : bits == 0 || bits > 32) {
      throw new AudioFormatException(
          name, "unsupported " + (isFloat ? "float" : "PCM") + " sample size " + bits + " bits");
    }
    int container = (bits + 7) / 8;
    if (blockAlign != channels * container) {
      throw new AudioFormatException(
          name,
          "block align " + blockAlign + " does not match " + channels + " channels of " + bits + " bits");
    }
    return new WavFormat(channels, (int) rate, container, validBits, isFloat);
  }
}
