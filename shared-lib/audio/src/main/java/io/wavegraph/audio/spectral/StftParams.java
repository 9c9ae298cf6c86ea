package io.wavegraph.audio.spectral;

/**
 * Framing of a short-time Fourier transform. The window is a periodic Hann of length {@code nFft}.
 *
 * @param nFft frame and FFT length, a power of two
 * @param hop samples between frame starts (larger than {@code nFft} leaves gaps)
 * @param center when true, frame {@code t} is centred on sample {@code t * hop} and the signal is
 *     padded by {@code nFft / 2} at both ends, giving {@code 1 + len / hop} frames; when false,
 *     frame {@code t} starts at sample {@code t * hop} and there are {@code 1 + (len - nFft) / hop}
 *     frames (none when the signal is shorter than a frame)
 * @param padMode the padding when centred
 */
public record StftParams(int nFft, int hop, boolean center, PadMode padMode) {
  /** librosa's defaults: 2048, 512, centred, zero padding (librosa 0.10 and later). */
  public static final StftParams DEFAULT = new StftParams(2048, 512, true, PadMode.CONSTANT);

  public StftParams {
    if (nFft < 2 || Integer.bitCount(nFft) != 1) {
      throw new IllegalArgumentException("n_fft must be a power of two >= 2, got " + nFft);
    }
    if (hop < 1) throw new IllegalArgumentException("hop must be positive, got " + hop);
    if (padMode == null) throw new IllegalArgumentException("padMode is required");
  }

  /** Number of frequency bins, {@code nFft / 2 + 1}. */
  public int bins() {
    return nFft / 2 + 1;
  }

  /** Frames for a signal of {@code samples} samples. */
  public long frames(long samples) {
    if (center) return 1 + samples / hop;
    return samples < nFft ? 0 : 1 + (samples - nFft) / hop;
  }
}
