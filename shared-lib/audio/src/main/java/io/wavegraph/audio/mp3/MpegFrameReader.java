package io.wavegraph.audio.mp3;

import io.wavegraph.audio.AudioFormatException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Splits an MPEG audio stream into whole frames, so the decoder only ever sees well-framed input.
 * The first frame is the first of two consecutive valid headers within {@link #SYNC_WINDOW} bytes;
 * after that every frame must follow the previous one directly and keep its version, layer, sample
 * rate and channel count. Trailing tags (ID3v1, APEv2, Lyrics3, an appended ID3v2) and zero padding
 * end the stream; anything else between frames is reported as lost sync rather than skipped, so
 * corruption surfaces as an error instead of a silent gap. Memory is one small buffer.
 */
final class MpegFrameReader {
  /** How far into the stream the first frame may start (after any ID3v2 tag). */
  static final int SYNC_WINDOW = 64 * 1024;
  /** Longest legal frame: MPEG-2.5 Layer II, 160 kbps at 8 kHz, padded. */
  static final int MAX_FRAME = 2881;

  private static final int RING = 16;

  private final InputStream in;
  private final String name;
  private final long startOffset;
  private final byte[] buf = new byte[16 * 1024];
  private final byte[] frame = new byte[MAX_FRAME];
  private final long[] offsets = new long[RING];
  private int pos;
  private int lim;
  private long base;
  private boolean eof;
  private boolean done;
  private MpegHeader first;
  private long count;
  private AudioFormatException failure;

  /** {@code startOffset} is the position of the stream's first byte in the file, for messages. */
  MpegFrameReader(InputStream in, String name, long startOffset) {
    this.in = in;
    this.name = name;
    this.startOffset = startOffset;
    this.base = startOffset;
  }

  /** The bytes of the frame last returned by {@link #next}. */
  byte[] frame() {
    return frame;
  }

  /** The error {@link #next} threw, if it did. */
  AudioFormatException failure() {
    return failure;
  }

  /** Frames returned so far. */
  long count() {
    return count;
  }

  /** File offset of frame {@code index} if it is among the last few read, else -1. */
  long offsetOf(long index) {
    return index >= 0 && index < count && index >= count - RING ? offsets[(int) (index % RING)] : -1;
  }

  /**
   * Reads the next frame into {@link #frame()}.
   *
   * @return its header, or null at the end of the audio
   * @throws AudioFormatException if there is no first frame, sync is lost, or a frame is truncated
   */
  MpegHeader next() throws IOException {
    if (failure != null) {
      throw failure; // JLayer may swallow an exception and read again; the answer stays the same
    }
    try {
      return readFrame();
    } catch (AudioFormatException e) {
      failure = e;
      throw e;
    }
  }

  private MpegHeader readFrame() throws IOException {
    if (done) {
      return null;
    }
    MpegHeader h;
    if (first == null) {
      h = first = findFirst();
    } else {
      int avail = fill(4);
      if (avail == 0 || isTrailer()) {
        done = true;
        return null;
      }
      h = avail < 4 ? null : MpegHeader.parse(peekInt(pos));
      if (h == null || !first.sameStream(h)) {
        long at = base + pos;
        if (zerosToEnd()) {
          done = true;
          return null;
        }
        if (h != null) {
          throw new AudioFormatException(
              name, "frame " + count + " (byte " + at + ") changes format from " + first.describe() + " to " + h.describe());
        }
        if (avail < 4) {
          throw new AudioFormatException(name, "truncated in frame " + count + " header (byte " + at + ")");
        }
        throw new AudioFormatException(
            name, "lost frame sync at byte " + at + " after frame " + (count - 1) + " (found " + hex(pos, 4) + ")");
      }
    }
    int have = fill(h.frameLength);
    if (have < h.frameLength) {
      throw new AudioFormatException(
          name,
          "truncated in frame " + count + " (byte " + (base + pos) + "): " + have + " of " + h.frameLength + " bytes");
    }
    System.arraycopy(buf, pos, frame, 0, h.frameLength);
    offsets[(int) (count % RING)] = base + pos;
    pos += h.frameLength;
    count++;
    return h;
  }

  private MpegHeader findFirst() throws IOException {
    for (int skipped = 0; ; skipped++, pos++) {
      int avail = fill(4);
      if (avail < 4) {
        throw new AudioFormatException(
            name, skipped == 0 && avail == 0 ? "no MPEG audio data" : "no MPEG audio frame found (" + (skipped + avail) + " bytes)");
      }
      if (skipped >= SYNC_WINDOW) {
        throw new AudioFormatException(
            name, "no MPEG audio frame in the first " + SYNC_WINDOW + " bytes after byte " + startOffset);
      }
      MpegHeader h = MpegHeader.parse(peekInt(pos));
      if (h == null) {
        continue;
      }
      int have = fill(h.frameLength + 4);
      if (have >= h.frameLength + 4) {
        MpegHeader second = MpegHeader.parse(peekInt(pos + h.frameLength));
        if (second != null && h.sameStream(second)) {
          return h;
        }
      } else if (have == h.frameLength && eof) {
        return h; // a one-frame stream
      }
    }
  }

  private boolean isTrailer() throws IOException {
    int avail = fill(11);
    return starts(avail, "TAG") || starts(avail, "APETAGEX") || starts(avail, "LYRICSBEGIN") || starts(avail, "ID3");
  }

  private boolean starts(int avail, String s) {
    if (avail < s.length()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (buf[pos + i] != s.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /** Consumes zero bytes; true if they run to the end of the input. */
  private boolean zerosToEnd() throws IOException {
    while (fill(1) > 0) {
      if (buf[pos] != 0) {
        return false;
      }
      pos++;
    }
    return true;
  }

  /** Tries to have {@code n} bytes buffered from {@code pos}; returns how many are (maybe fewer at EOF). */
  private int fill(int n) throws IOException {
    while (lim - pos < n && !eof) {
      if (buf.length - pos < n) {
        System.arraycopy(buf, pos, buf, 0, lim - pos);
        base += pos;
        lim -= pos;
        pos = 0;
      }
      int r = in.read(buf, lim, buf.length - lim);
      if (r < 0) {
        eof = true;
      } else {
        lim += r;
      }
    }
    return Math.min(n, lim - pos);
  }

  private int peekInt(int p) {
    return (buf[p] & 0xFF) << 24 | (buf[p + 1] & 0xFF) << 16 | (buf[p + 2] & 0xFF) << 8 | (buf[p + 3] & 0xFF);
  }

  private String hex(int p, int n) {
    StringBuilder s = new StringBuilder();
    for (int i = p; i < Math.min(p + n, lim); i++) {
      s.append(s.length() == 0 ? "" : " ").append(String.format("%02X", buf[i] & 0xFF));
    }
    return s.toString();
  }
}
