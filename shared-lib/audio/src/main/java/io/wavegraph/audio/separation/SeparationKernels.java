package io.wavegraph.audio.separation;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * The heavy compute of source separation ({@link Hpss}, {@link RepetSim}), kept behind one
 * interface so that another implementation (a GPU one) can replace the CPU one without touching
 * the algorithms.
 *
 * <p>Every buffer is a flat {@code float[]} with explicit dimensions, as a device implementation
 * would take it. A spectrogram of {@code frames} frames and {@code bins = fft / 2 + 1} bins is
 * row-major by frame: cell (t, k) is at {@code t * bins + k}; the real and imaginary parts of a
 * complex one are two such arrays. Output arrays are given by the caller, at least as long as the
 * dimensions say, and are fully overwritten; inputs are never modified. A kernel does not keep a
 * reference to any array after it returns.
 *
 * <p>The STFT is centred ({@code fft / 2} zeros of padding at both ends) with the periodic Hann
 * window; frame t is centred on sample {@code t * hop}, and a signal of n samples has {@link
 * #frames frames(n, hop)} = {@code 1 + n / hop} frames. {@link #istft} inverts it exactly
 * (weighted overlap-add, divided by the summed squared window) for any {@code hop <= fft / 2}.
 *
 * <p>Implementations: {@code cpu} ({@link CpuSeparationKernels}) is always present. Others are
 * found with {@link ServiceLoader} as {@link Provider}s. A GPU implementation would be a separate
 * jar holding a {@code Provider} named {@code gpu} whose {@link Provider#available} checks for a
 * device and a native library built from {@code bench/gpu/separation_kernels.cu} (the same
 * kernels, already written in CUDA for the timing comparison), and whose kernels call that library
 * through the Panama foreign-function API (or JNI on Java 17), copying each buffer to the device
 * once per item. Nothing here links to CUDA: without such a jar, asking for {@code gpu} is a clear
 * error, never a crash.
 *
 * <p>Thread safety: implementations are safe to call from several threads; a call may use several
 * threads itself.
 */
public interface SeparationKernels {

  /** The name a step's {@code kernels} parameter selects this implementation by. */
  String name();

  /** Frames of the centred STFT of {@code samples} samples: {@code 1 + samples / hop}. */
  static int frames(int samples, int hop) {
    return 1 + samples / hop;
  }

  /**
   * Centred STFT of {@code signal[0..samples)}: writes {@code re} and {@code im}, each {@code
   * frames(samples, hop) * (fft / 2 + 1)}. Unnormalised, like {@code numpy.fft.rfft} of each
   * windowed frame.
   */
  void stft(float[] signal, int samples, int fft, int hop, float[] re, float[] im);

  /**
   * Inverse of {@link #stft}: weighted overlap-add of the windowed inverse transforms, divided by
   * the summed squared window, cropped to {@code samples} samples written to {@code signal}.
   */
  void istft(float[] re, float[] im, int frames, int fft, int hop, float[] signal, int samples);

  /** {@code mag[i] = |re[i] + i im[i]|} for {@code i < n}. */
  void magnitude(float[] re, float[] im, int n, float[] mag);

  /**
   * The median of each cell over {@code kernel} (odd) consecutive frames centred on it, in the same
   * bin; beyond the ends the spectrogram is mirrored ({@code d c b a | a b c d | d c b a}, scipy's
   * {@code reflect}). Steady (harmonic) energy survives it; short bursts do not.
   */
  void medianAlongTime(float[] in, int frames, int bins, int kernel, float[] out);

  /**
   * The median of each cell over {@code kernel} (odd) consecutive bins centred on it, in the same
   * frame, mirrored at the ends like {@link #medianAlongTime}. Broadband (percussive) energy
   * survives it; narrow peaks do not.
   */
  void medianAlongFrequency(float[] in, int frames, int bins, int kernel, float[] out);

  /**
   * Rows {@code [rowStart, rowStart + rows)} of the cosine-similarity matrix between the frames of
   * {@code mag}: {@code sim[(r - rowStart) * frames + j] = <m_r, m_j> / (|m_r| |m_j|)}, 0 when
   * either frame is silent. Computing the matrix in row blocks bounds its memory.
   */
  void similarity(float[] mag, int frames, int bins, int rowStart, int rows, float[] sim);

  /**
   * For each row r of a block of the similarity matrix (as {@link #similarity} wrote it), the
   * frames that repeat frame r (REPET-SIM's peak picking): local maxima of the row (no neighbour
   * greater) with a similarity above 0 and at least {@code minSimilarity}, greedily taken from the
   * most similar down (the lower frame first among equals) while each is at least {@code
   * minDistance} frames from every frame already taken, at most {@code maxRepeats}. Frame r itself
   * is always the first. Writes the frames to {@code repeats[(r - rowStart) *
   * maxRepeats + l]} and their number to {@code counts[r - rowStart]}.
   */
  void repeatingFrames(
      float[] sim, int frames, int rowStart, int rows, int maxRepeats, int minDistance, float minSimilarity,
      int[] repeats, int[] counts);

  /**
   * REPET-SIM's repeating-spectrogram estimate for frames {@code [rowStart, rowStart + rows)}: for
   * each bin, the median over the repeating frames that {@link #repeatingFrames} chose, capped at
   * the mixture's own magnitude. Writes {@code model[t * bins + k]} for those frames only.
   */
  void repeatingModel(
      float[] mag, int frames, int bins, int rowStart, int rows, int maxRepeats, int[] repeats, int[] counts,
      float[] model);

  /**
   * The soft (Wiener-style) mask of a target against the rest: {@code mask = t^p / (t^p + o^p)},
   * and 1/2 where both are 0, so the masks of a target and of the rest always sum to 1.
   */
  void softMask(float[] target, float[] other, int n, float power, float[] mask);

  /** {@code (outRe, outIm) = mask * (re, im)}, cell by cell. */
  void applyMask(float[] re, float[] im, float[] mask, int n, float[] outRe, float[] outIm);

  /** The CPU implementation, on the common fork-join pool. */
  static SeparationKernels cpu() {
    return CpuSeparationKernels.common();
  }

  /**
   * The names of every installed implementation, {@code cpu} first, whether or not it can run on
   * this machine (a graph for a GPU job is validated on a laptop).
   */
  static List<String> installed() {
    List<String> names = new ArrayList<>(List.of("cpu"));
    for (Provider p : ServiceLoader.load(Provider.class)) {
      if (!names.contains(p.name())) names.add(p.name());
    }
    return names;
  }

  /** The names that {@link #named} accepts on this machine, {@code cpu} first. */
  static List<String> available() {
    List<String> names = new ArrayList<>(List.of("cpu"));
    for (Provider p : ServiceLoader.load(Provider.class)) {
      if (p.available() && !names.contains(p.name())) names.add(p.name());
    }
    return names;
  }

  /**
   * The implementation called {@code name}.
   *
   * @throws IllegalArgumentException when there is none by that name, or it cannot run here (no
   *     device, no native library); the message says which and lists what is available
   */
  static SeparationKernels named(String name) {
    if (name.equals("cpu")) return cpu();
    for (Provider p : ServiceLoader.load(Provider.class)) {
      if (p.name().equals(name)) {
        if (!p.available()) {
          throw new IllegalArgumentException("separation kernels '" + name + "' cannot run here: " + p.unavailableReason()
              + " (available: " + String.join(", ", available()) + ")");
        }
        return p.create();
      }
    }
    throw new IllegalArgumentException("no separation kernels named '" + name + "' are installed (available: "
        + String.join(", ", available()) + ")");
  }

  /** A pluggable implementation, registered in {@code META-INF/services}. */
  interface Provider {
    String name();

    /** Whether it can run on this machine (a device is present and its library loads). */
    boolean available();

    /** Why {@link #available} is false, for the error message. */
    String unavailableReason();

    SeparationKernels create();
  }
}
