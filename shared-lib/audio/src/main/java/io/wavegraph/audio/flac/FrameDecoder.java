package io.wavegraph.audio.flac;

import io.wavegraph.audio.AudioFormatException;
import java.io.IOException;

/**
 * Decodes one FLAC frame (header, subframes, footer) into per-channel {@code long} samples. Samples
 * are held as longs because a side channel of a 32-bit stream needs 33 bits.
 */
final class FrameDecoder {
  private static final int[] SAMPLE_RATES = {
    0, 88200, 176400, 192000, 8000, 16000, 22050, 24000, 32000, 44100, 48000, 96000
  };
  private static final int[] SAMPLE_SIZES = {0, 8, 12, -1, 16, 20, 24, 32};

  private final BitReader in;
  private final String name;
  private final StreamInfo info;
  final long[][] samples;
  private final long[] coefs = new long[32];
  private long frameIndex;
  private long frameStart;

  FrameDecoder(BitReader in, String name, StreamInfo info) {
    this.in = in;
    this.name = name;
    this.info = info;
    this.samples = new long[info.channels()][Math.max(info.maxBlockSize(), 16)];
  }

  long frameIndex() {
    return frameIndex;
  }

  private AudioFormatException bad(String problem) {
    return new AudioFormatException(
        name, "frame " + frameIndex + " (byte " + frameStart + "): " + problem);
  }

  /** Decodes the next frame, returning its block size. The reader must be at a frame boundary. */
  int decode() throws IOException {
    frameStart = in.bytePosition();
    in.mark();
    int sync = in.readInt(15);
    if (sync != 0x7FFC) {
      throw new AudioFormatException(
          name, "bad sync code at byte " + frameStart + " (expected frame " + frameIndex + ")");
    }
    in.readInt(1); // blocking strategy: the block size and coded number below are all we need
    int blockCode = in.readInt(4);
    int rateCode = in.readInt(4);
    int channelCode = in.readInt(4);
    int sizeCode = in.readInt(3);
    if (in.readInt(1) != 0) {
      throw bad("reserved header bit is set");
    }
    readCodedNumber();
    int blockSize;
    if (blockCode == 0) {
      throw bad("reserved block size code 0");
    } else if (blockCode == 1) {
      blockSize = 192;
    } else if (blockCode <= 5) {
      blockSize = 576 << (blockCode - 2);
    } else if (blockCode == 6) {
      blockSize = in.readInt(8) + 1;
    } else if (blockCode == 7) {
      blockSize = in.readInt(16) + 1;
    } else {
      blockSize = 256 << (blockCode - 8);
    }
    int rate;
    if (rateCode == 0) {
      rate = info.sampleRate();
    } else if (rateCode < 12) {
      rate = SAMPLE_RATES[rateCode];
    } else if (rateCode == 12) {
      rate = in.readInt(8) * 1000;
    } else if (rateCode == 13) {
      rate = in.readInt(16);
    } else if (rateCode == 14) {
      rate = in.readInt(16) * 10;
    } else {
      throw bad("invalid sample rate code 15");
    }
    int headerCrc = in.crc8SinceMark();
    if (in.readInt(8) != headerCrc) {
      throw bad("header CRC-8 mismatch");
    }
    int channels = channelCode < 8 ? channelCode + 1 : 2;
    if (channelCode > 10) {
      throw bad("reserved channel assignment " + channelCode);
    }
    if (channels != info.channels()) {
      throw bad(channels + " channels but STREAMINFO declares " + info.channels());
    }
    int bps = sizeCode == 0 ? info.bitsPerSample() : SAMPLE_SIZES[sizeCode];
    if (bps < 0) {
      throw bad("reserved sample size code 3");
    }
    if (bps != info.bitsPerSample()) {
      throw bad(bps + " bits per sample but STREAMINFO declares " + info.bitsPerSample());
    }
    if (rate != info.sampleRate()) {
      throw bad("sample rate " + rate + " but STREAMINFO declares " + info.sampleRate());
    }
    ensureCapacity(blockSize);

    for (int ch = 0; ch < channels; ch++) {
      boolean side =
          (channelCode == 8 && ch == 1) || (channelCode == 9 && ch == 0) || (channelCode == 10 && ch == 1);
      decodeSubframe(samples[ch], blockSize, side ? bps + 1 : bps);
    }
    decorrelate(channelCode, blockSize);

    in.alignToByte();
    int frameCrc = in.crc16SinceMark();
    if (in.readInt(16) != frameCrc) {
      throw bad("CRC-16 mismatch");
    }
    in.clearMark();
    frameIndex++;
    return blockSize;
  }

  private void ensureCapacity(int blockSize) {
    if (samples[0].length < blockSize) {
      for (int ch = 0; ch < samples.length; ch++) {
        samples[ch] = new long[blockSize];
      }
    }
  }

  /** The UTF-8-like frame or sample number; its value is not needed, only its validity. */
  private void readCodedNumber() throws IOException {
    int first = in.readInt(8);
    if ((first & 0x80) == 0) {
      return;
    }
    int length = Integer.numberOfLeadingZeros(~first << 24);
    if (length < 2 || length > 7) {
      throw bad("invalid coded frame number");
    }
    for (int i = 1; i < length; i++) {
      if ((in.readInt(8) & 0xC0) != 0x80) {
        throw bad("invalid coded frame number");
      }
    }
  }

  private void decodeSubframe(long[] out, int n, int bps) throws IOException {
    if (in.readInt(1) != 0) {
      throw bad("subframe padding bit is set");
    }
    int type = in.readInt(6);
    int wasted = 0;
    if (in.readInt(1) == 1) {
      wasted = (int) in.readUnary(bps) + 1;
      if (wasted >= bps) {
        throw bad("wasted bits " + wasted + " >= sample size " + bps);
      }
    }
    int width = bps - wasted;
    if (type == 0) {
      long v = in.readSigned(width);
      for (int i = 0; i < n; i++) {
        out[i] = v;
      }
    } else if (type == 1) {
      for (int i = 0; i < n; i++) {
        out[i] = in.readSigned(width);
      }
    } else if (type >= 8 && type <= 12) {
      int order = type - 8;
      readWarmup(out, order, n, width);
      readResidual(out, n, order);
      Predictors.restoreFixed(out, n, order);
    } else if (type >= 32) {
      int order = type - 31;
      readWarmup(out, order, n, width);
      int precision = in.readInt(4) + 1;
      if (precision == 16) {
        throw bad("invalid LPC coefficient precision");
      }
      int shift = (int) in.readSigned(5);
      if (shift < 0) {
        throw bad("negative LPC shift " + shift);
      }
      for (int j = 0; j < order; j++) {
        coefs[j] = in.readSigned(precision);
      }
      readResidual(out, n, order);
      Predictors.restoreLpc(out, n, coefs, order, shift);
    } else {
      throw bad("reserved subframe type " + type);
    }
    if (wasted > 0) {
      for (int i = 0; i < n; i++) {
        out[i] <<= wasted;
      }
    }
  }

  private void readWarmup(long[] out, int order, int n, int width) throws IOException {
    if (order > n) {
      throw bad("predictor order " + order + " exceeds block size " + n);
    }
    for (int i = 0; i < order; i++) {
      out[i] = in.readSigned(width);
    }
  }

  private void readResidual(long[] out, int n, int order) throws IOException {
    int method = in.readInt(2);
    if (method > 1) {
      throw bad("reserved residual coding method " + method);
    }
    int paramBits = method == 0 ? 4 : 5;
    int escape = method == 0 ? 15 : 31;
    int partitionOrder = in.readInt(4);
    int partitionSize = n >> partitionOrder;
    if (partitionSize << partitionOrder != n || partitionSize < order) {
      throw bad("partition order " + partitionOrder + " does not fit block size " + n);
    }
    int i = order;
    for (int p = 0, partitions = 1 << partitionOrder; p < partitions; p++) {
      int count = p == 0 ? partitionSize - order : partitionSize;
      int k = in.readInt(paramBits);
      if (k == escape) {
        int width = in.readInt(5);
        for (int j = 0; j < count; j++) {
          out[i + j] = width == 0 ? 0 : in.readSigned(width);
        }
      } else if (!in.readRice(out, i, count, k)) {
        throw bad("residual out of range (corrupt Rice code)");
      }
      i += count;
    }
  }

  private void decorrelate(int channelCode, int n) {
    long[] a = samples[0];
    long[] b = channels() > 1 ? samples[1] : null;
    switch (channelCode) {
      case 8 -> { // left, side
        for (int i = 0; i < n; i++) {
          b[i] = a[i] - b[i];
        }
      }
      case 9 -> { // side, right
        for (int i = 0; i < n; i++) {
          a[i] += b[i];
        }
      }
      case 10 -> { // mid, side
        for (int i = 0; i < n; i++) {
          long side = b[i];
          long mid = (a[i] << 1) | (side & 1);
          a[i] = (mid + side) >> 1;
          b[i] = (mid - side) >> 1;
        }
      }
      default -> {}
    }
  }

  private int channels() {
    return samples.length;
  }
}
