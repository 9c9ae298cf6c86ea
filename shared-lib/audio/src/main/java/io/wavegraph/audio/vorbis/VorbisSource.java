package io.wavegraph.audio.vorbis;

import com.jcraft.jogg.Packet;
import com.jcraft.jogg.Page;
import com.jcraft.jogg.StreamState;
import com.jcraft.jogg.SyncState;
import com.jcraft.jorbis.Block;
import com.jcraft.jorbis.Comment;
import com.jcraft.jorbis.DspState;
import com.jcraft.jorbis.Info;
import io.wavegraph.audio.AudioFormatException;
import io.wavegraph.audio.AudioSource;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Streaming Ogg Vorbis decoder over JOrbis.
 *
 * <p>Every Ogg page's CRC-32 is checked (JOrbis does it) and a failure is an error, not a resync,
 * so a damaged file is reported rather than decoded with a gap. A stream must end with an
 * end-of-stream page; one that stops early is reported as truncated once the audio before the cut
 * has been read. Any exception JOrbis throws on damaged data becomes an {@link
 * AudioFormatException}. Other logical streams (video, skeleton) are skipped; chained Vorbis
 * streams are decoded in sequence if they keep the sample rate and channel count.
 *
 * <p>Memory is bounded: JOrbis holds at most one Ogg page (under 64 KiB) plus the packet being
 * assembled, and a packet over {@value #MAX_PACKET} bytes is refused. Every loop consumes input,
 * so a source always ends, with audio or an error.
 *
 * <p>{@link #frames()} is -1 (the length is only known from the last page). Vorbis has no bit
 * depth; {@link #bitsPerSample()} reports 32 because samples are decoded as 32-bit floats.
 */
public final class VorbisSource implements AudioSource {
  /** Larger than any real header packet (cover art included) or audio packet. */
  static final int MAX_PACKET = 32 << 20;

  private static final String[] HEADERS = {"identification", "comment", "setup"};
  private static final int CHUNK = 16 * 1024;

  private final InputStream stream;
  private final String name;
  private final SyncState sync = new SyncState();
  private StreamState logical;
  private final Page page = new Page();
  private final Packet packet = new Packet();
  private final float[][][] pcm = new float[1][][];
  private Info info;
  private DspState dsp;
  private Block block;
  private int[] index;
  private int rate;
  private int idChannels;
  private int idBlocksize1;
  private int channels;
  private int serial;
  private long consumed; // bytes of whole pages returned so far
  private long pageOffset;
  private long pages;
  private long packets;
  private long pendingBytes; // page bytes fed since the last complete packet
  private long decoded;
  private long linkDecoded; // samples of the current chained stream delivered so far
  private long endGranule; // the end-of-stream page's granule position: the stream's length
  private boolean streamEnded;
  private boolean ended;
  private int pcmPos;
  private int pcmLen;

  private VorbisSource(InputStream stream, String name) throws IOException {
    this.stream = stream;
    this.name = name;
    if (!nextPage()) {
      throw new AudioFormatException(name, consumed == 0 ? "empty Ogg stream" : "truncated in the first Ogg page");
    }
    startStream(true);
    this.rate = info.rate;
    this.channels = info.channels;
  }

  /** Opens an Ogg stream positioned at its first page. The stream is closed by {@link #close()}. */
  public static VorbisSource open(InputStream stream, String name) throws IOException {
    return new VorbisSource(stream, name);
  }

  /**
   * What the first packet of a beginning-of-stream page holds: "Vorbis", "Opus", "FLAC", "Speex",
   * "Theora", "Skeleton", or null.
   */
  public static String codecOf(byte[] b, int off, int len) {
    if (starts(b, off, len, "\u0001vorbis")) {
      return "Vorbis";
    } else if (starts(b, off, len, "OpusHead")) {
      return "Opus";
    } else if (starts(b, off, len, "\u007fFLAC")) {
      return "FLAC";
    } else if (starts(b, off, len, "Speex   ")) {
      return "Speex";
    } else if (starts(b, off, len, "\u0080theora")) {
      return "Theora";
    } else if (starts(b, off, len, "fishead\0")) {
      return "Skeleton";
    }
    return null;
  }

  private static boolean starts(byte[] b, int off, int len, String s) {
    if (len < s.length()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if ((b[off + i] & 0xFF) != s.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int sampleRate() {
    return rate;
  }

  @Override
  public int channels() {
    return channels;
  }

  @Override
  public long frames() {
    return -1;
  }

  @Override
  public int bitsPerSample() {
    return 32;
  }

  @Override
  public int read(float[] interleaved, int maxFrames) throws IOException {
    int done = 0;
    while (done < maxFrames) {
      if (pcmPos == pcmLen && !decodeNext()) {
        break;
      }
      int n = Math.min(maxFrames - done, pcmLen - pcmPos);
      float[][] p = pcm[0];
      for (int ch = 0; ch < channels; ch++) {
        float[] src = p[ch];
        for (int i = 0, s = index[ch] + pcmPos, o = done * channels + ch; i < n; i++, o += channels) {
          interleaved[o] = src[s + i];
        }
      }
      pcmPos += n;
      done += n;
      if (pcmPos == pcmLen) {
        dsp.synthesis_read(pcmLen);
        pcmPos = pcmLen = 0;
      }
    }
    return done == 0 && maxFrames > 0 ? -1 : done;
  }

  /** Makes the next run of decoded samples available in {@link #pcm}; false at the end. */
  private boolean decodeNext() throws IOException {
    while (!ended) {
      int n = dsp.synthesis_pcmout(pcm, index);
      if (n > 0 && endGranule >= 0 && linkDecoded + n > endGranule) {
        // JOrbis does not always trim the last packet to the end granule; libvorbis does.
        n = (int) Math.max(0, endGranule - linkDecoded);
        if (n == 0) {
          dsp.synthesis_read(dsp.synthesis_pcmout(pcm, index));
          continue;
        }
      }
      if (n > 0) {
        pcmLen = n;
        decoded += n;
        linkDecoded += n;
        return true;
      }
      int r = logical.packetout(packet);
      if (r == 1) {
        decodePacket();
      } else if (r < 0) {
        throw new AudioFormatException(name, "Ogg page missing before the page at byte " + pageOffset);
      } else if (streamEnded) {
        nextChain();
      } else if (!nextOwnPage()) {
        throw new AudioFormatException(
            name, "truncated: Ogg stream ends without an end-of-stream page (after " + decoded + " samples)");
      }
    }
    return false;
  }

  private void decodePacket() throws AudioFormatException {
    packets++;
    pendingBytes = 0;
    if (packet.bytes == 0) {
      return; // a zero-length audio packet carries nothing (Vorbis I spec, section 4.3.1)
    }
    try {
      if (block.synthesis(packet) != 0) {
        throw new AudioFormatException(name, "audio packet " + packets + " (page at byte " + pageOffset + ") is not valid Vorbis");
      }
      dsp.synthesis_blockin(block);
    } catch (RuntimeException | StackOverflowError e) {
      AudioFormatException x = new AudioFormatException(
          name, "audio packet " + packets + " (page at byte " + pageOffset + ") is undecodable (" + e.getClass().getSimpleName() + ")");
      x.initCause(e);
      throw x;
    }
  }

  /** After an end-of-stream page: a following Vorbis stream is decoded next, else the input ends. */
  private void nextChain() throws IOException {
    while (nextPage()) {
      if (page.bos() != 0 && "Vorbis".equals(codecOf(page.body_base, page.body, page.body_len))) {
        long at = pageOffset;
        startStream(false);
        if (info.rate != rate || info.channels != channels) {
          throw new AudioFormatException(
              name,
              "chained Vorbis stream at byte " + at + " changes format from " + rate + " Hz, " + channels
                  + " channel(s) to " + info.rate + " Hz, " + info.channels + " channel(s)");
        }
        return;
      }
    }
    ended = true;
  }

  /** Finds the Vorbis stream from the current page on and decodes its three header packets. */
  private void startStream(boolean atStart) throws IOException {
    List<String> others = new ArrayList<>();
    while (true) {
      String codec = page.bos() != 0 ? codecOf(page.body_base, page.body, page.body_len) : null;
      if ("Vorbis".equals(codec)) {
        break;
      }
      if (page.bos() == 0 && atStart) {
        throw new AudioFormatException(name, others.isEmpty()
            ? "first Ogg page is not the start of a stream"
            : "no Vorbis stream in the Ogg file (found " + String.join(", ", others) + ")");
      }
      if (page.bos() != 0) {
        others.add(codec == null ? "an unknown codec" : codec);
      }
      if (!nextPage()) {
        throw new AudioFormatException(name, "no Vorbis stream in the Ogg file"
            + (others.isEmpty() ? "" : " (found " + String.join(", ", others) + ")"));
      }
    }
    serial = page.serialno();
    logical = new StreamState();
    logical.init(serial);
    streamEnded = false;
    endGranule = -1;
    linkDecoded = 0;
    pendingBytes = 0;
    info = new Info();
    Comment comment = new Comment();
    info.init();
    comment.init();
    pageIn();
    for (int h = 0; h < 3; ) {
      int r = logical.packetout(packet);
      if (r == 0) {
        if (streamEnded || !nextOwnPage()) {
          throw new AudioFormatException(name, "truncated in the Vorbis " + HEADERS[h] + " header");
        }
        continue;
      }
      if (r < 0) {
        throw new AudioFormatException(name, "Ogg page missing before the page at byte " + pageOffset);
      }
      String problem = checkHeader(h);
      if (problem != null) {
        throw new AudioFormatException(name, "bad Vorbis " + problem + " (page at byte " + pageOffset + ")");
      }
      int e;
      try {
        e = info.synthesis_headerin(comment, packet);
      } catch (RuntimeException | StackOverflowError x) {
        e = -1;
      }
      if (e != 0) {
        throw new AudioFormatException(name, "bad Vorbis " + HEADERS[h] + " header (page at byte " + pageOffset + ")");
      }
      h++;
    }
    pendingBytes = 0;
    try {
      dsp = new DspState();
      dsp.synthesis_init(info);
      block = new Block(dsp);
    } catch (RuntimeException e) {
      throw new AudioFormatException(name, "unusable Vorbis setup header (" + e.getClass().getSimpleName() + ")");
    }
    index = new int[info.channels];
  }

  /** What {@link HeaderLimits} finds wrong with header packet {@code h}, after its type and "vorbis". */
  private String checkHeader(int h) {
    byte[] b = packet.packet_base;
    int off = packet.packet;
    int len = packet.bytes;
    String type = "\u0001\u0003\u0005".substring(h, h + 1) + "vorbis";
    if (len < 7 || !starts(b, off, len, type)) {
      return HEADERS[h] + " header (packet is not one)";
    }
    if (h == 0) {
      String problem = HeaderLimits.identification(b, off, len);
      if (problem == null) {
        idChannels = b[off + 11] & 0xFF;
        idBlocksize1 = 1 << ((b[off + 28] & 0xF0) >>> 4);
      }
      return problem;
    }
    return h == 1 ? HeaderLimits.comment(b, off, len) : HeaderLimits.setup(b, off, len, idChannels, idBlocksize1);
  }

  /** Reads pages up to and including the next one of this logical stream; false at end of input. */
  private boolean nextOwnPage() throws IOException {
    while (nextPage()) {
      if (page.serialno() == serial && page.bos() == 0) {
        pageIn();
        return true;
      }
    }
    return false;
  }

  private void pageIn() throws AudioFormatException {
    pendingBytes += page.body_len;
    if (pendingBytes > MAX_PACKET) {
      throw new AudioFormatException(name, "Ogg packet larger than " + MAX_PACKET + " bytes at byte " + pageOffset);
    }
    if (logical.pagein(page) != 0) {
      throw new AudioFormatException(name, "unreadable Ogg page at byte " + pageOffset);
    }
    if (page.eos() != 0) {
      streamEnded = true;
      endGranule = page.granulepos();
    }
  }

  /** Reads the next whole page into {@link #page}; false at a clean end of input. */
  private boolean nextPage() throws IOException {
    while (true) {
      int r = sync.pageout(page);
      if (r > 0) {
        pages++;
        pageOffset = consumed;
        consumed += page.header_len + page.body_len;
        return true;
      }
      if (r < 0) {
        throw new AudioFormatException(
            name, "corrupt Ogg page at byte " + consumed + " (bad checksum or no capture pattern)");
      }
      int off = sync.buffer(CHUNK);
      int n = stream.read(sync.data, off, CHUNK);
      if (n < 0) {
        int left = sync.getBufferOffset() - sync.getDataOffset();
        if (left > 0) {
          throw new AudioFormatException(
              name, "truncated in the Ogg page at byte " + consumed + " (" + left + " bytes of it present)");
        }
        return false;
      }
      sync.wrote(n);
    }
  }

  @Override
  public void close() throws IOException {
    stream.close();
  }
}
