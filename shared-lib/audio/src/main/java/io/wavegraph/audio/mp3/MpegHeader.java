package io.wavegraph.audio.mp3;

/** One MPEG audio frame header (ISO 11172-3 / 13818-3, and the MPEG 2.5 extension). */
final class MpegHeader {
  private static final int[][] BITRATES = {
    {32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448}, // MPEG-1 Layer I
    {32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384}, // MPEG-1 Layer II
    {32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320}, // MPEG-1 Layer III
    {32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256}, // MPEG-2/2.5 Layer I
    {8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160}, // MPEG-2/2.5 Layer II and III
  };
  private static final int[] RATES = {44100, 48000, 32000};

  /** Bits that must not change from frame to frame: sync, version, layer, sample rate. */
  private static final int STREAM_BITS = 0xFFFE0C00;

  final int word;
  /** 1 for MPEG-1, 2 for MPEG-2, 25 for MPEG-2.5. */
  final int version;
  final int layer;
  final int bitrateKbps;
  final int sampleRate;
  final int channels;
  final int frameLength;
  final int samplesPerFrame;
  final boolean crc;

  private MpegHeader(int word, int version, int layer, int bitrateKbps, int sampleRate, int channels, boolean crc) {
    this.word = word;
    this.version = version;
    this.layer = layer;
    this.bitrateKbps = bitrateKbps;
    this.sampleRate = sampleRate;
    this.channels = channels;
    this.crc = crc;
    int padding = (word >>> 9) & 1;
    int bps = bitrateKbps * 1000;
    if (layer == 1) {
      frameLength = (12 * bps / sampleRate + padding) * 4;
      samplesPerFrame = 384;
    } else if (layer == 3 && version != 1) {
      frameLength = 72 * bps / sampleRate + padding;
      samplesPerFrame = 576;
    } else {
      frameLength = 144 * bps / sampleRate + padding;
      samplesPerFrame = 1152;
    }
  }

  /**
   * Parses a 32-bit big-endian header word, or returns null if it is not a valid header. Free-format
   * bitrate and the reserved emphasis value count as invalid, which makes false syncs rarer.
   */
  static MpegHeader parse(int word) {
    if ((word >>> 21) != 0x7FF) {
      return null;
    }
    int versionBits = (word >>> 19) & 3;
    int layerBits = (word >>> 17) & 3;
    int bitrateIndex = (word >>> 12) & 15;
    int rateIndex = (word >>> 10) & 3;
    if (versionBits == 1 || layerBits == 0 || bitrateIndex == 0 || bitrateIndex == 15 || rateIndex == 3 || (word & 3) == 2) {
      return null;
    }
    int version = versionBits == 3 ? 1 : versionBits == 2 ? 2 : 25;
    int layer = 4 - layerBits;
    int table = version == 1 ? layer - 1 : layer == 1 ? 3 : 4;
    int rate = RATES[rateIndex] / (version == 1 ? 1 : version == 2 ? 2 : 4);
    int channels = ((word >>> 6) & 3) == 3 ? 1 : 2;
    boolean crc = ((word >>> 16) & 1) == 0;
    return new MpegHeader(word, version, layer, BITRATES[table][bitrateIndex - 1], rate, channels, crc);
  }

  /** Whether {@code other} can follow this frame in the same stream. */
  boolean sameStream(MpegHeader other) {
    return (word & STREAM_BITS) == (other.word & STREAM_BITS) && channels == other.channels;
  }

  /** Bytes of Layer III side information after the header (and CRC). */
  int sideInfoLength() {
    if (version == 1) {
      return channels == 1 ? 17 : 32;
    }
    return channels == 1 ? 9 : 17;
  }

  String describe() {
    String v = version == 1 ? "MPEG-1" : version == 2 ? "MPEG-2" : "MPEG-2.5";
    return v + " Layer " + "I".repeat(layer) + ", " + sampleRate + " Hz, " + bitrateKbps + " kbps";
  }
}
