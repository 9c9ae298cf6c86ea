package io.wavegraph.audio.vorbis;

/**
 * Checks the Vorbis header packets before JOrbis sees them. JOrbis sizes arrays and loops from
 * header fields without checking them against the packet (a damaged comment length makes it loop
 * two billion times; a damaged codebook or residue makes it allocate gigabytes), so every count
 * here must be backed by the bits that describe it, and the setup header must respect the limits
 * libvorbis applies (Vorbis I specification, sections 3.2.1, 4.2, 6.2.1, 7.2.2 and 8.6.1).
 * Each method returns null if the packet is acceptable, else what is wrong.
 */
final class HeaderLimits {
  /** Codebook values JOrbis may expand, in all: far above any encoder's, far below a heap. */
  static final long MAX_CODEBOOK_VALUES = 1 << 22;

  private HeaderLimits() {}

  static String identification(byte[] b, int off, int len) {
    if (len < 30) {
      return "identification header is " + len + " bytes, expected 30";
    }
    int channels = b[off + 11] & 0xFF;
    int small = b[off + 28] & 0x0F;
    int large = (b[off + 28] & 0xF0) >>> 4;
    if (channels == 0) {
      return "identification header declares 0 channels";
    }
    if (small < 6 || large > 13 || small > large) {
      return "identification header declares block sizes " + (1 << small) + " and " + (1 << large) + " (allowed: 64 to 8192)";
    }
    return null;
  }

  static String comment(byte[] b, int off, int len) {
    Bits in = new Bits(b, off + 7, len - 7);
    long vendor = in.read(32);
    if (!in.skipBytes(vendor)) {
      return "comment header vendor string overruns the packet";
    }
    long count = in.read(32);
    for (long i = 0; i < count; i++) {
      if (in.exhausted() || !in.skipBytes(in.read(32))) {
        return "comment header overruns the packet at comment " + i + " of " + count;
      }
    }
    return null;
  }

  /** {@code channels} and {@code blocksize1} come from the identification header. */
  static String setup(byte[] b, int off, int len, int channels, int blocksize1) {
    Bits in = new Bits(b, off + 7, len - 7);
    int books = (int) in.read(8) + 1;
    long[] entries = new long[books];
    long[] dims = new long[books];
    long values = 0;
    for (int i = 0; i < books; i++) {
      if (in.read(24) != 0x564342) {
        return "setup header codebook " + i + " has no sync pattern";
      }
      dims[i] = in.read(16);
      entries[i] = in.read(24);
      if (dims[i] == 0 || entries[i] == 0) {
        return "setup header codebook " + i + " is empty";
      }
      if (in.read(1) == 1) { // ordered lengths: runs of equal lengths
        long length = in.read(5) + 1;
        for (long e = 0; e < entries[i]; length++) {
          e += in.read(ilog(entries[i] - e));
          if (e > entries[i] || length > 32 || in.exhausted()) {
            return "setup header codebook " + i + " has invalid ordered lengths";
          }
        }
      } else {
        boolean sparse = in.read(1) == 1;
        for (long e = 0; e < entries[i] && !in.exhausted(); e++) {
          if (!sparse || in.read(1) == 1) {
            in.read(5);
          }
        }
      }
      int lookup = (int) in.read(4);
      if (lookup == 1 || lookup == 2) {
        in.read(32);
        in.read(32);
        int bits = (int) in.read(4) + 1;
        in.read(1);
        long n = lookup == 1 ? lookup1Values(entries[i], dims[i]) : entries[i] * dims[i];
        if (n < 0 || !in.skipBits(n * bits)) {
          return "setup header codebook " + i + " lookup table overruns the packet";
        }
        values += entries[i] * dims[i];
      } else if (lookup != 0) {
        return "setup header codebook " + i + " has lookup type " + lookup;
      }
      values += entries[i];
      if (in.exhausted()) {
        return "setup header overruns the packet in codebook " + i;
      }
      if (values > MAX_CODEBOOK_VALUES) {
        return "unsupported setup header: codebooks would expand to over " + MAX_CODEBOOK_VALUES + " values";
      }
    }
    int times = (int) in.read(6) + 1;
    for (int i = 0; i < times; i++) {
      if (in.read(16) != 0) {
        return "setup header time domain transform is not 0";
      }
    }
    int floors = (int) in.read(6) + 1;
    for (int i = 0; i < floors; i++) {
      String problem = floor(in, i, books);
      if (problem != null) {
        return problem;
      }
    }
    int residues = (int) in.read(6) + 1;
    for (int i = 0; i < residues; i++) {
      String problem = residue(in, i, books, entries, dims, channels, blocksize1);
      if (problem != null) {
        return problem;
      }
    }
    return in.exhausted() ? "setup header overruns the packet" : null; // mappings and modes: JOrbis checks them
  }

  private static String floor(Bits in, int i, int books) {
    int type = (int) in.read(16);
    if (type == 0) {
      in.read(8 + 16 + 16 + 6 + 8);
      int n = (int) in.read(4) + 1;
      for (int k = 0; k < n; k++) {
        if (in.read(8) >= books) {
          return "setup header floor " + i + " names a missing codebook";
        }
      }
      return null;
    }
    if (type != 1) {
      return "setup header floor " + i + " has type " + type;
    }
    int partitions = (int) in.read(5);
    int[] classOf = new int[partitions];
    int maxClass = -1;
    for (int k = 0; k < partitions; k++) {
      classOf[k] = (int) in.read(4);
      maxClass = Math.max(maxClass, classOf[k]);
    }
    int[] classDim = new int[maxClass + 1];
    for (int c = 0; c <= maxClass; c++) {
      classDim[c] = (int) in.read(3) + 1;
      int sub = (int) in.read(2);
      if (sub > 0 && in.read(8) >= books) {
        return "setup header floor " + i + " names a missing codebook";
      }
      for (int k = 0; k < (1 << sub); k++) {
        if (in.read(8) - 1 >= books) {
          return "setup header floor " + i + " names a missing codebook";
        }
      }
    }
    in.read(2);
    int rangeBits = (int) in.read(4);
    long points = 0;
    for (int k = 0; k < partitions; k++) {
      points += classDim[classOf[k]];
    }
    return in.skipBits(points * rangeBits) ? null : "setup header floor " + i + " overruns the packet";
  }

  private static String residue(Bits in, int i, int books, long[] entries, long[] dims, int channels, int blocksize1) {
    int type = (int) in.read(16);
    long begin = in.read(24);
    long end = in.read(24);
    in.read(24); // partition size
    int classifications = (int) in.read(6) + 1;
    int classbook = (int) in.read(8);
    if (type > 2) {
      return "setup header residue " + i + " has type " + type;
    }
    if (classbook >= books) {
      return "setup header residue " + i + " names a missing codebook";
    }
    // libvorbis: classifications^dim of the classbook must not exceed its entries.
    long partvals = 1;
    for (long d = 0; d < dims[classbook]; d++) {
      partvals *= classifications;
      if (partvals > entries[classbook]) {
        return "setup header residue " + i + " has more partition classes than its classbook";
      }
    }
    long vector = (long) blocksize1 / 2 * (type == 2 ? channels : 1);
    if (begin > end || end > vector) {
      return "unsupported setup header: residue " + i + " covers " + begin + " to " + end + " of a " + vector + "-value vector";
    }
    int[] cascade = new int[classifications];
    for (int c = 0; c < classifications; c++) {
      int low = (int) in.read(3);
      cascade[c] = in.read(1) == 1 ? (int) in.read(5) << 3 | low : low;
    }
    for (int c = 0; c < classifications; c++) {
      for (int k = 0; k < 8; k++) {
        if ((cascade[c] & (1 << k)) != 0 && in.read(8) >= books) {
          return "setup header residue " + i + " names a missing codebook";
        }
      }
    }
    return null;
  }

  /** The largest r with r^dim <= entries (Vorbis I, section 9.2.3). */
  private static long lookup1Values(long entries, long dim) {
    long r = (long) Math.floor(Math.exp(Math.log(entries) / dim));
    while (pow(r + 1, dim) <= entries) {
      r++;
    }
    while (r > 0 && pow(r, dim) > entries) {
      r--;
    }
    return r;
  }

  private static long pow(long base, long exp) {
    long v = 1;
    for (long k = 0; k < exp; k++) {
      v *= base;
      if (v > (1L << 40)) {
        return Long.MAX_VALUE;
      }
    }
    return v;
  }

  private static int ilog(long v) {
    return 64 - Long.numberOfLeadingZeros(v);
  }

  /** LSB-first bit reader that reads zeros past the end and remembers having done so. */
  private static final class Bits {
    private final byte[] b;
    private final long end;
    private long pos;

    Bits(byte[] b, int off, int len) {
      this.b = b;
      this.pos = (long) off * 8;
      this.end = (long) (off + Math.max(len, 0)) * 8;
    }

    long read(int n) {
      long v = 0;
      for (int k = 0; k < n; k++, pos++) {
        if (pos < end && (b[(int) (pos >>> 3)] & (1 << (pos & 7))) != 0) {
          v |= 1L << k;
        }
      }
      return v;
    }

    boolean skipBits(long n) {
      pos += n;
      return pos <= end;
    }

    boolean skipBytes(long n) {
      return skipBits(n * 8);
    }

    boolean exhausted() {
      return pos > end;
    }
  }
}
