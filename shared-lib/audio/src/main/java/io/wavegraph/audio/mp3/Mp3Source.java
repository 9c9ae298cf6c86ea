package io.wavegraph.audio.mp3;

import io.wavegraph.audio.AudioFormatException;
import io.wavegraph.audio.AudioSource;
import java.io.IOException;
import java.io.InputStream;
import javazoom.jl.decoder.Bitstream;
import javazoom.jl.decoder.Decoder;
import javazoom.jl.decoder.Header;
import javazoom.jl.decoder.Obuffer;

/**
 * Streaming MPEG audio decoder (MP3, and Layers I and II) over JLayer's float synthesis.
 *
 * <p>{@link MpegFrameReader} does the framing, so JLayer only sees whole, consistent frames; any
 * exception JLayer throws on damaged frame data becomes an {@link AudioFormatException} naming the
 * frame. A LAME/Info tag, when present and intact, makes decoding gapless the way mpg123 does it:
 * the encoder delay plus the 529-sample decoder delay is dropped from the start, the padding from
 * the end, and {@link #frames()} is exact. The tag's frame count also catches files cut at a frame
 * boundary. Without a tag every decoded sample is delivered and {@link #frames()} is -1 (or the
 * Xing/VBRI frame count times the frame length).
 *
 * <p>MP3 has no bit depth; {@link #bitsPerSample()} reports 32 because samples are decoded as
 * 32-bit floats.
 */
public final class Mp3Source implements AudioSource {
  /** JLayer's synthesis filter scales to this, not to 32768. */
  private static final float JLAYER_SCALE = 32700f;

  private final InputStream stream;
  private final String name;
  private final MpegFrameReader reader;
  private final MpegHeader first;
  private final InfoFrame info;
  private final Bitstream bitstream;
  private final Decoder decoder = new Decoder();
  private final FrameBuffer out;
  private final long skip;
  private final long total;
  private long decodedFrames;
  private long position; // decoded samples per channel, including skipped ones
  private long delivered;
  private int bufPos;
  private int bufLen;
  private boolean ended;

  private Mp3Source(InputStream stream, String name, long startOffset) throws IOException {
    this.stream = stream;
    this.name = name;
    this.reader = new MpegFrameReader(stream, name, startOffset);
    this.first = reader.next();
    this.info = InfoFrame.parse(first, reader.frame(), first.frameLength);
    this.out = new FrameBuffer(first.channels);
    int spf = first.samplesPerFrame;
    boolean gapless = info != null && info.delay >= 0;
    long declared = info != null && info.frames >= 0 ? info.frames * spf : -1;
    this.skip = gapless ? info.delay + InfoFrame.DECODER_DELAY : 0;
    long trimmed = declared >= 0 && gapless ? declared - info.delay - info.padding : declared;
    this.total = trimmed >= 0 ? trimmed : -1;
    this.bitstream = new Bitstream(new FrameFeed(info == null));
    decoder.setOutputBuffer(out);
  }

  /**
   * Opens an MPEG audio stream positioned at (or within 64 KiB before) its first frame; an ID3v2
   * tag must already have been skipped. {@code startOffset} is where the stream starts in the file,
   * so that messages give file offsets. The stream is closed by {@link #close()}.
   */
  public static Mp3Source open(InputStream stream, String name, long startOffset) throws IOException {
    return new Mp3Source(stream, name, startOffset);
  }

  /**
   * Where an MPEG audio stream starts in {@code b[0..length)}: the first offset below {@code
   * maxStart} holding two consecutive valid, consistent frame headers (or one frame that ends the
   * data exactly). Returns -1 if there is none. Random bytes pass this with a chance near 1e-7.
   */
  public static int syncOffset(byte[] b, int length, int maxStart) {
    for (int p = 0; p < maxStart && p + 4 <= length; p++) {
      MpegHeader h = MpegHeader.parse(int32(b, p));
      if (h == null) {
        continue;
      }
      int q = p + h.frameLength;
      if (q == length) {
        return p;
      }
      MpegHeader second = q + 4 <= length ? MpegHeader.parse(int32(b, q)) : null;
      if (second != null && h.sameStream(second)) {
        return p;
      }
    }
    return -1;
  }

  private static int int32(byte[] b, int p) {
    return (b[p] & 0xFF) << 24 | (b[p + 1] & 0xFF) << 16 | (b[p + 2] & 0xFF) << 8 | (b[p + 3] & 0xFF);
  }

  @Override
  public int sampleRate() {
    return first.sampleRate;
  }

  @Override
  public int channels() {
    return first.channels;
  }

  @Override
  public long frames() {
    return total;
  }

  @Override
  public int bitsPerSample() {
    return 32;
  }

  @Override
  public int read(float[] interleaved, int maxFrames) throws IOException {
    int channels = first.channels;
    int done = 0;
    while (done < maxFrames) {
      if (total >= 0 && delivered >= total) {
        break;
      }
      if (bufPos == bufLen && !decodeNext()) {
        break;
      }
      if (position < skip) { // the encoder and decoder delay before the first real sample
        int drop = (int) Math.min(bufLen - bufPos, skip - position);
        bufPos += drop;
        position += drop;
        continue;
      }
      long room = total >= 0 ? total - delivered : Long.MAX_VALUE;
      int n = (int) Math.min(Math.min(maxFrames - done, bufLen - bufPos), room);
      System.arraycopy(out.samples, bufPos * channels, interleaved, done * channels, n * channels);
      bufPos += n;
      position += n;
      delivered += n;
      done += n;
    }
    return done == 0 && maxFrames > 0 ? -1 : done;
  }

  private boolean decodeNext() throws IOException {
    if (ended) {
      return false;
    }
    Header header;
    try {
      header = bitstream.readFrame();
      if (header != null) {
        out.clear_buffer();
        decoder.decodeFrame(header, bitstream);
        bitstream.closeFrame();
      }
    } catch (Exception | StackOverflowError e) {
      throw wrap(e);
    }
    if (header == null) {
      ended = true;
      if (info != null && info.frames >= 0 && decodedFrames < info.frames) {
        throw new AudioFormatException(
            name, "truncated: stream ends after " + decodedFrames + " of " + info.frames + " frames");
      }
      return false;
    }
    decodedFrames++;
    bufPos = 0;
    bufLen = out.frames();
    if (bufLen != first.samplesPerFrame) {
      throw new AudioFormatException(
          name, "frame " + decodedFrames + " decoded to " + bufLen + " samples, expected " + first.samplesPerFrame);
    }
    return true;
  }

  private AudioFormatException wrap(Throwable e) {
    if (reader.failure() != null) {
      return reader.failure(); // the framing failed while JLayer read ahead
    }
    long index = decodedFrames + (info != null ? 1 : 0);
    long offset = reader.offsetOf(index);
    String where = "frame " + index + (offset >= 0 ? " (byte " + offset + ")" : "");
    AudioFormatException x =
        new AudioFormatException(name, where + ": undecodable frame data (" + e.getClass().getSimpleName() + ")");
    x.initCause(e);
    return x;
  }

  @Override
  public void close() throws IOException {
    stream.close();
  }

  /** Serves the frames {@link MpegFrameReader} accepts, as the byte stream JLayer reads. */
  private final class FrameFeed extends InputStream {
    private int p;
    private int len;

    FrameFeed(boolean firstIsAudio) {
      len = firstIsAudio ? first.frameLength : 0;
    }

    @Override
    public int read() throws IOException {
      if (p == len && !advance()) {
        return -1;
      }
      return reader.frame()[p++] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int n) throws IOException {
      if (n == 0) {
        return 0;
      }
      if (p == len && !advance()) {
        return -1;
      }
      int k = Math.min(n, len - p);
      System.arraycopy(reader.frame(), p, b, off, k);
      p += k;
      return k;
    }

    private boolean advance() throws IOException {
      MpegHeader h = reader.next();
      if (h == null) {
        return false;
      }
      p = 0;
      len = h.frameLength;
      return true;
    }
  }

  /** Collects JLayer's float output (one 32-sample subband block per call) interleaved. */
  private static final class FrameBuffer extends Obuffer {
    final float[] samples = new float[2 * 1152];
    private final int channels;
    private final int[] next = new int[2];

    FrameBuffer(int channels) {
      this.channels = channels;
      clear_buffer();
    }

    int frames() {
      return (next[0] / channels);
    }

    @Override
    public void appendSamples(int channel, float[] f) {
      int o = next[channel];
      if (o + 32 * channels > samples.length + channel) {
        throw new IllegalStateException("more than 1152 samples in one frame");
      }
      for (int i = 0; i < 32; i++, o += channels) {
        samples[o] = f[i] / JLAYER_SCALE;
      }
      next[channel] = o;
    }

    @Override
    public void append(int channel, short value) {
      throw new UnsupportedOperationException("JLayer delivers floats through appendSamples");
    }

    @Override
    public void clear_buffer() {
      next[0] = 0;
      next[1] = 1;
    }

    @Override
    public void write_buffer(int val) {}

    @Override
    public void close() {}

    @Override
    public void set_stop_flag() {}
  }
}
