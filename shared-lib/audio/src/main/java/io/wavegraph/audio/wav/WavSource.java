package io.wavegraph.audio.wav;

import io.wavegraph.audio.AudioFormatException;
import io.wavegraph.audio.AudioSource;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Streaming RIFF/WAVE (and RF64) decoder for PCM 8..32-bit and IEEE float 32/64, plain or
 * WAVE_FORMAT_EXTENSIBLE. A data chunk that declares more bytes than the input holds is an error,
 * except for the streaming conventions of size 0 or 0xFFFFFFFF, which mean "to the end".
 */
public final class WavSource implements AudioSource {
  private static final long TO_END = -1;
  private static final int BUFFER_FRAMES = 8192;

  private final LittleEndianInput in;
  private final InputStream stream;
  private final String name;
  private final WavFormat format;
  private final long dataBytes; // TO_END when only the end of the stream bounds it
  private final byte[] buf;
  private long dataRead;

  private WavSource(InputStream stream, String name, long length) throws IOException {
    this.stream = stream;
    this.name = name;
    this.in = new LittleEndianInput(stream);
    byte[] h = new byte[40];
    try {
      in.readExactly(h, 12);
    } catch (EOFException e) {
      throw new AudioFormatException(name, "truncated in RIFF header");
    }
    String riff = LittleEndianInput.fourCc(h, 0);
    boolean rf64 = riff.equals("RF64");
    if (!(riff.equals("RIFF") || rf64) || !LittleEndianInput.fourCc(h, 8).equals("WAVE")) {
      throw new AudioFormatException(name, "not a RIFF/WAVE file");
    }
    WavFormat fmt = null;
    long ds64DataSize = -1;
    while (true) {
      if (in.readFully(h, 0, 8) < 8) {
        throw new AudioFormatException(name, fmt == null ? "missing fmt chunk" : "missing data chunk");
      }
      String id = LittleEndianInput.fourCc(h, 0);
      long size = LittleEndianInput.u32(h, 4);
      if (id.equals("data")) {
        if (fmt == null) {
          throw new AudioFormatException(name, "missing fmt chunk before the data chunk");
        }
        this.format = fmt;
        this.dataBytes = dataSize(size, rf64, ds64DataSize, length);
        break;
      }
      int keep = (int) Math.min(size, 40);
      if (in.readFully(h, 0, keep) < keep || in.skip(size - keep + (size & 1)) < size - keep) {
        throw new AudioFormatException(
            name, "truncated: '" + id + "' chunk declares " + size + " bytes but the file ends first");
      }
      if (id.equals("fmt ")) {
        fmt = WavFormat.parse(h, (int) size, name);
      } else if (id.equals("ds64") && size >= 16) {
        ds64DataSize = LittleEndianInput.u64(h, 8);
      }
    }
    int block = format.blockAlign();
    this.buf = new byte[block * Math.max(1, Math.min(BUFFER_FRAMES, (1 << 20) / block))];
  }

  private long dataSize(long declared, boolean rf64, long ds64DataSize, long length)
      throws AudioFormatException {
    long size = declared;
    if (rf64 && declared == 0xFFFFFFFFL) {
      if (ds64DataSize < 0) {
        throw new AudioFormatException(name, "RF64 file without a ds64 chunk");
      }
      size = ds64DataSize;
    } else if (declared == 0 || declared == 0xFFFFFFFFL) {
      return length >= 0 ? length - in.position() : TO_END;
    }
    if (length >= 0 && size > length - in.position()) {
      throw truncated(size, length - in.position());
    }
    return size;
  }

  private AudioFormatException truncated(long declared, long available) {
    return new AudioFormatException(
        name,
        "truncated: data chunk declares " + declared + " bytes but the file ends after " + available);
  }

  /** Opens a stream positioned at its RIFF header; {@code length} is its size in bytes or -1. */
  public static WavSource open(InputStream stream, String name, long length) throws IOException {
    return new WavSource(new BufferedInputStream(stream, 1 << 16), name, length);
  }

  @Override
  public int sampleRate() {
    return format.sampleRate();
  }

  @Override
  public int channels() {
    return format.channels();
  }

  @Override
  public long frames() {
    return dataBytes == TO_END ? -1 : dataBytes / format.blockAlign();
  }

  @Override
  public int bitsPerSample() {
    return format.validBits();
  }

  @Override
  public int read(float[] interleaved, int maxFrames) throws IOException {
    int block = format.blockAlign();
    int done = 0;
    while (done < maxFrames) {
      long wantBytes = (long) Math.min(maxFrames - done, buf.length / block) * block;
      if (dataBytes != TO_END) {
        wantBytes = Math.min(wantBytes, (dataBytes - dataRead) / block * block);
      }
      if (wantBytes == 0) {
        break;
      }
      int got = in.readFully(buf, 0, (int) wantBytes);
      dataRead += got;
      int frames = got / block;
      if (got < wantBytes && dataBytes != TO_END) {
        throw truncated(dataBytes, dataRead);
      }
      convert(buf, frames * format.channels(), interleaved, done * format.channels());
      done += frames;
      if (got < wantBytes) {
        break; // end of a to-the-end stream; a trailing partial frame is dropped
      }
    }
    return done == 0 && maxFrames > 0 ? -1 : done;
  }

  private void convert(byte[] b, int samples, float[] out, int off) {
    int p = 0;
    switch (format.containerBytes() * (format.floatingPoint() ? -1 : 1)) {
      case 1 -> {
        for (int i = 0; i < samples; i++) {
          out[off + i] = ((b[p++] & 0xFF) - 128) * (1f / 128);
        }
      }
      case 2 -> {
        for (int i = 0; i < samples; i++, p += 2) {
          out[off + i] = (short) ((b[p] & 0xFF) | b[p + 1] << 8) * (1f / 32768);
        }
      }
      case 3 -> {
        for (int i = 0; i < samples; i++, p += 3) {
          out[off + i] = ((b[p] & 0xFF) | (b[p + 1] & 0xFF) << 8 | b[p + 2] << 16) * (1f / 8388608);
        }
      }
      case 4 -> {
        for (int i = 0; i < samples; i++, p += 4) {
          out[off + i] = (float) (int32(b, p) * (1.0 / 2147483648.0));
        }
      }
      case -4 -> {
        for (int i = 0; i < samples; i++, p += 4) {
          out[off + i] = Float.intBitsToFloat(int32(b, p));
        }
      }
      case -8 -> {
        for (int i = 0; i < samples; i++, p += 8) {
          long bits = (int32(b, p) & 0xFFFFFFFFL) | (long) int32(b, p + 4) << 32;
          out[off + i] = (float) Double.longBitsToDouble(bits);
        }
      }
      default -> throw new IllegalStateException("validated format " + format);
    }
  }

  private static int int32(byte[] b, int p) {
    return (b[p] & 0xFF) | (b[p + 1] & 0xFF) << 8 | (b[p + 2] & 0xFF) << 16 | b[p + 3] << 24;
  }

  @Override
  public void close() throws IOException {
    stream.close();
  }
}
