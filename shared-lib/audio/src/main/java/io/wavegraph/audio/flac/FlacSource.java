package io.wavegraph.audio.flac;

import io.wavegraph.audio.AudioFormatException;
import io.wavegraph.audio.AudioSource;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * Streaming FLAC decoder (RFC 9639). Every frame's CRC-8 and CRC-16 are checked, and when the
 * stream is read to its end the STREAMINFO MD5 (if present) is checked as well, so corruption is
 * reported rather than decoded into noise.
 */
public final class FlacSource implements AudioSource {
  private final InputStream stream;
  private final BitReader in;
  private final String name;
  private final StreamInfo info;
  private final FrameDecoder frames;
  private final float scale;
  private final MessageDigest md5;
  private byte[] md5Bytes = new byte[0];
  private int blockSize;
  private int blockPos;
  private long decodedSamples;
  private boolean ended;

  private FlacSource(InputStream stream, String name) throws IOException {
    this.stream = stream;
    this.name = name;
    this.in = new BitReader(stream, name);
    this.info = readMetadata();
    this.frames = new FrameDecoder(in, name, info);
    this.scale = (float) (1.0 / (1L << (info.bitsPerSample() - 1)));
    this.md5 = info.hasMd5() ? newMd5() : null;
  }

  /**
   * Opens a FLAC stream positioned at its {@code fLaC} marker. The stream is closed by {@link
   * #close()}, not on failure here.
   */
  public static FlacSource open(InputStream stream, String name) throws IOException {
    return new FlacSource(stream, name);
  }

  private static MessageDigest newMd5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 is required by every Java platform", e);
    }
  }

  private StreamInfo readMetadata() throws IOException {
    try {
      if (in.readBits(32) != 0x664C6143L) {
        throw new AudioFormatException(name, "no fLaC marker");
      }
      StreamInfo streamInfo = null;
      boolean last = false;
      while (!last) {
        last = in.readInt(1) == 1;
        int type = in.readInt(7);
        int length = in.readInt(24);
        if (streamInfo == null && type != 0) {
          throw new AudioFormatException(name, "first metadata block is type " + type + ", not STREAMINFO");
        }
        if (type == 0) {
          if (streamInfo != null) {
            throw new AudioFormatException(name, "second STREAMINFO block");
          }
          if (length < 34) {
            throw new AudioFormatException(name, "STREAMINFO block is " + length + " bytes, expected 34");
          }
          streamInfo = readStreamInfo();
          in.skipBytes(length - 34);
        } else if (type == 127) {
          throw new AudioFormatException(name, "invalid metadata block type 127");
        } else {
          in.skipBytes(length);
        }
      }
      return streamInfo;
    } catch (EOFException e) {
      throw new AudioFormatException(name, "truncated in metadata");
    }
  }

  private StreamInfo readStreamInfo() throws IOException {
    int minBlock = in.readInt(16);
    int maxBlock = in.readInt(16);
    in.readBits(24); // min frame size
    in.readBits(24); // max frame size
    int rate = in.readInt(20);
    int channels = in.readInt(3) + 1;
    int bits = in.readInt(5) + 1;
    long total = in.readBits(36);
    byte[] md5 = new byte[16];
    for (int i = 0; i < 16; i++) {
      md5[i] = (byte) in.readInt(8);
    }
    if (rate == 0) {
      throw new AudioFormatException(name, "STREAMINFO sample rate is 0");
    }
    if (bits < 4) {
      throw new AudioFormatException(name, "STREAMINFO declares " + bits + " bits per sample (minimum 4)");
    }
    return new StreamInfo(minBlock, maxBlock, rate, channels, bits, total, md5);
  }

  @Override
  public int sampleRate() {
    return info.sampleRate();
  }

  @Override
  public int channels() {
    return info.channels();
  }

  @Override
  public long frames() {
    return info.totalSamples() > 0 ? info.totalSamples() : -1;
  }

  @Override
  public int bitsPerSample() {
    return info.bitsPerSample();
  }

  @Override
  public int read(float[] interleaved, int maxFrames) throws IOException {
    int channels = info.channels();
    int done = 0;
    while (done < maxFrames) {
      if (blockPos == blockSize && !nextBlock()) {
        break;
      }
      int n = Math.min(maxFrames - done, blockSize - blockPos);
      long[][] s = frames.samples;
      for (int ch = 0; ch < channels; ch++) {
        long[] src = s[ch];
        for (int i = 0, o = done * channels + ch; i < n; i++, o += channels) {
          interleaved[o] = src[blockPos + i] * scale;
        }
      }
      blockPos += n;
      done += n;
    }
    return done == 0 && maxFrames > 0 ? -1 : done;
  }

  /**
   * Decodes the next frame into {@link FrameDecoder#samples} (for tests that need exact integers).
   *
   * @return false at the end of the stream
   */
  boolean nextBlock() throws IOException {
    if (ended) {
      return false;
    }
    long total = info.totalSamples();
    // Trailing bytes after the declared length (often an ID3v1 tag) are not audio.
    if ((total > 0 && decodedSamples >= total) || !in.hasMore()) {
      ended = true;
      if (total > 0 && decodedSamples < total) {
        throw new AudioFormatException(
            name, "truncated: stream ends after " + decodedSamples + " of " + total + " samples");
      }
      verifyMd5();
      return false;
    }
    try {
      blockSize = frames.decode();
    } catch (EOFException e) {
      throw new AudioFormatException(name, "truncated in frame " + frames.frameIndex());
    }
    if (total > 0 && decodedSamples + blockSize > total) {
      blockSize = (int) (total - decodedSamples);
    }
    blockPos = 0;
    decodedSamples += blockSize;
    if (md5 != null) {
      updateMd5(blockSize);
    }
    return true;
  }

  long[][] blockSamples() {
    return frames.samples;
  }

  int blockSize() {
    return blockSize;
  }

  private void updateMd5(int n) {
    int bytesPerSample = (info.bitsPerSample() + 7) / 8;
    int channels = info.channels();
    int need = n * channels * bytesPerSample;
    if (md5Bytes.length < need) {
      md5Bytes = new byte[need];
    }
    long[][] s = frames.samples;
    int o = 0;
    for (int i = 0; i < n; i++) {
      for (int ch = 0; ch < channels; ch++) {
        long v = s[ch][i];
        for (int b = 0; b < bytesPerSample; b++) {
          md5Bytes[o++] = (byte) (v >> (8 * b));
        }
      }
    }
    md5.update(md5Bytes, 0, need);
  }

  private void verifyMd5() throws AudioFormatException {
    if (md5 != null && !Arrays.equals(md5.digest(), info.md5())) {
      throw new AudioFormatException(name, "decoded audio does not match the STREAMINFO MD5");
    }
  }

  @Override
  public void close() throws IOException {
    stream.close();
  }
}
