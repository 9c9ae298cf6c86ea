package io.wavegraph.audio;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Streaming WAV writer. Sizes in the header are patched on {@link #close()} when the target is
 * seekable; a plain {@link OutputStream} gets the streaming convention (sizes 0xFFFFFFFF), which
 * {@link AudioDecoders} reads back as "to the end".
 *
 * <p>Integer formats are produced by scaling by {@code 2^(bits-1)}, rounding to nearest and
 * clipping to the integer range; there is no dither. NaN becomes 0. {@link SampleFormat#FLOAT_32}
 * writes the floats unchanged (unclipped). WAVE_FORMAT_EXTENSIBLE is used when there are more than
 * two channels or more than 16 bits, as Microsoft recommends. Data beyond 4 GiB is refused with an
 * IOException (RF64 output is not supported). Not thread-safe.
 */
public final class WavWriter implements Closeable {
  private static final int EXTENSIBLE = 0xFFFE;
  private static final long MAX_RIFF = 0xFFFFFFFFL;

  private final WritableByteChannel out;
  private final SeekableByteChannel seekable; // null when sizes cannot be patched
  private final long start;
  private final int sampleRate;
  private final int channels;
  private final SampleFormat format;
  private final int headerSize;
  private final ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
  private long frames;
  private boolean closed;

  private WavWriter(
      WritableByteChannel out, SeekableByteChannel seekable, int sampleRate, int channels, SampleFormat format)
      throws IOException {
    if (sampleRate <= 0 || channels <= 0 || channels > 65535) {
      throw new IllegalArgumentException("sample rate " + sampleRate + ", channels " + channels);
    }
    this.out = out;
    this.seekable = seekable;
    this.start = seekable == null ? 0 : seekable.position();
    this.sampleRate = sampleRate;
    this.channels = channels;
    this.format = format;
    ByteBuffer header = header(seekable == null ? MAX_RIFF : 0);
    this.headerSize = header.remaining();
    writeFully(header);
  }

  /** Creates or truncates {@code file}. */
  public static WavWriter create(Path file, int sampleRate, int channels, SampleFormat format)
      throws IOException {
    FileChannel ch =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
    try {
      return new WavWriter(ch, ch, sampleRate, channels, format);
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  /** Writes from the channel's current position; the header there is patched on close. */
  public static WavWriter create(SeekableByteChannel channel, int sampleRate, int channels, SampleFormat format)
      throws IOException {
    return new WavWriter(channel, channel, sampleRate, channels, format);
  }

  /** Writes a non-seekable stream whose header declares "size unknown" (0xFFFFFFFF). */
  public static WavWriter create(OutputStream stream, int sampleRate, int channels, SampleFormat format)
      throws IOException {
    return new WavWriter(Channels.newChannel(stream), null, sampleRate, channels, format);
  }

  public int sampleRate() {
    return sampleRate;
  }

  public int channels() {
    return channels;
  }

  public SampleFormat format() {
    return format;
  }

  public long framesWritten() {
    return frames;
  }

  private boolean extensible() {
    return channels > 2 || format.bitsPerSample() > 16;
  }

  private ByteBuffer header(long dataBytes) {
    boolean ext = extensible();
    boolean fact = format.isFloatingPoint();
    int fmtSize = ext ? 40 : 16;
    int size = 12 + 8 + fmtSize + (fact ? 12 : 0) + 8;
    ByteBuffer h = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    int blockAlign = channels * format.bytesPerSample();
    h.put(ascii("RIFF")).putInt((int) Math.min(MAX_RIFF, size - 8 + dataBytes)).put(ascii("WAVE"));
    h.put(ascii("fmt ")).putInt(fmtSize);
    int tag = format.isFloatingPoint() ? 3 : 1;
    h.putShort((short) (ext ? EXTENSIBLE : tag)).putShort((short) channels).putInt(sampleRate);
    h.putInt(sampleRate * blockAlign).putShort((short) blockAlign).putShort((short) format.bitsPerSample());
    if (ext) {
      h.putShort((short) 22).putShort((short) format.bitsPerSample()).putInt(channelMask());
      h.putShort((short) tag).put(new byte[] {
        0x00, 0x00, 0x00, 0x00, 0x10, 0x00, (byte) 0x80, 0x00, 0x00, (byte) 0xAA, 0x00, 0x38, (byte) 0x9B, 0x71
      });
    }
    if (fact) {
      h.put(ascii("fact")).putInt(4).putInt((int) Math.min(MAX_RIFF, frames));
    }
    h.put(ascii("data")).putInt((int) Math.min(MAX_RIFF, dataBytes));
    return h.flip();
  }

  private int channelMask() {
    return switch (channels) {
      case 1 -> 0x4; // front centre
      case 2 -> 0x3;
      case 4 -> 0x33; // quad: FL FR BL BR
      case 5 -> 0x37; // FL FR FC BL BR
      case 6 -> 0x3F; // 5.1: FL FR FC LFE BL BR
      case 8 -> 0x63F; // 7.1: 5.1 + SL SR
      default -> 0; // unspecified assignment
    };
  }

  private static byte[] ascii(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }

  /** Appends {@code frames} frames from the start of {@code interleaved}. */
  public void write(float[] interleaved, int frames) throws IOException {
    if (closed) {
      throw new IOException("WavWriter is closed");
    }
    int bytes = format.bytesPerSample();
    if (headerSize - 8 + (this.frames + frames) * channels * (long) bytes > MAX_RIFF) {
      throw new IOException("WAV data would exceed 4 GiB; RF64 output is not supported");
    }
    int samples = frames * channels;
    // Whole runs per buffer fill, each format in its own loop: no per-sample format switch or
    // bounds check on the buffer, and float samples go through the buffer's bulk copy.
    for (int i = 0; i < samples; ) {
      int room = buf.remaining() / bytes;
      if (room == 0) {
        flushBuffer();
        continue;
      }
      int n = Math.min(room, samples - i);
      switch (format) {
        case PCM_16 -> {
          byte[] a = buf.array();
          int p = buf.arrayOffset() + buf.position();
          for (int k = i, end = i + n; k < end; k++, p += 2) {
            int v = (int) clip(Math.round(interleaved[k] * 32768.0), 32767);
            a[p] = (byte) v;
            a[p + 1] = (byte) (v >> 8);
          }
          buf.position(buf.position() + 2 * n);
        }
        case PCM_24 -> {
          for (int k = i, end = i + n; k < end; k++) {
            int v = (int) clip(Math.round(interleaved[k] * 8388608.0), 8388607);
            buf.put((byte) v).put((byte) (v >> 8)).put((byte) (v >> 16));
          }
        }
        case FLOAT_32 -> {
          buf.asFloatBuffer().put(interleaved, i, n);
          buf.position(buf.position() + 4 * n);
        }
      }
      i += n;
    }
    this.frames += frames;
  }

  private static long clip(long v, long max) {
    return v > max ? max : Math.max(v, -max - 1);
  }

  private void flushBuffer() throws IOException {
    buf.flip();
    writeFully(buf);
    buf.clear();
  }

  private void writeFully(ByteBuffer b) throws IOException {
    while (b.hasRemaining()) {
      out.write(b);
    }
  }

  /** Flushes, patches the header sizes (when seekable) and closes the target. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      flushBuffer();
      if (seekable != null) {
        long end = seekable.position();
        seekable.position(start);
        writeFully(header(frames * channels * format.bytesPerSample()));
        seekable.position(end);
      }
    } finally {
      out.close();
    }
  }
}
