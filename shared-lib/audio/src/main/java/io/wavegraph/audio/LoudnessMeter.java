package io.wavegraph.audio;

import io.wavegraph.audio.internal.Biquad;
import io.wavegraph.audio.internal.TruePeakDetector;
import java.util.Arrays;

/**
 * Streaming loudness meter per ITU-R BS.1770-4 and EBU R128 (Tech 3341 meters, Tech 3342 loudness
 * range). Feed audio with {@link #add}; {@link #result()} may be called at any time and does not
 * end the measurement.
 *
 * <p>Channel weights: 5 channels are taken as L R C Ls Rs and 6 as L R C LFE Ls Rs (LFE excluded,
 * surrounds weighted 1.41); any other layout weights every channel 1.0. The K-weighting filters
 * are derived for the actual sample rate (they equal the published 48 kHz coefficients at 48
 * kHz). Measurements run on a grid of 10 ms sub-blocks of {@code round(rate / 100)} samples, so
 * block lengths are exact for rates that are multiples of 100 Hz. Not thread-safe.
 */
public final class LoudnessMeter {
  private static final int SUBS_PER_GATE_STEP = 10; // 100 ms hop
  private static final int MOMENTARY_SUBS = 40; // 400 ms
  private static final int SHORT_TERM_SUBS = 300; // 3 s

  private final int channels;
  private final double[] weights;
  private final Biquad[] shelf;
  private final Biquad[] highPass;
  private final TruePeakDetector truePeak;
  private final int subLength;
  private final double[] ring = new double[SHORT_TERM_SUBS]; // energies of the latest sub-blocks
  private long subs; // completed sub-blocks
  private double subEnergy;
  private int subCount;
  private double samplePeak;
  private double momentaryMax;
  private double shortTermMax;
  private double[] gatingBlocks = new double[64]; // mean-square energies of 400 ms blocks
  private int gatingCount;
  private double[] shortTermBlocks = new double[64];
  private int shortTermCount;

  public LoudnessMeter(int sampleRate, int channels) {
    if (sampleRate <= 0 || channels <= 0) {
      throw new IllegalArgumentException("sample rate " + sampleRate + ", channels " + channels);
    }
    this.channels = channels;
    this.weights = new double[channels];
    Arrays.fill(weights, 1.0);
    if (channels == 5) {
      weights[3] = 1.41;
      weights[4] = 1.41;
    } else if (channels == 6) {
      weights[3] = 0;
      weights[4] = 1.41;
      weights[5] = 1.41;
    }
    shelf = new Biquad[channels];
    highPass = new Biquad[channels];
    for (int c = 0; c < channels; c++) {
      shelf[c] = Biquad.kWeightingShelf(sampleRate);
      highPass[c] = Biquad.kWeightingHighPass(sampleRate);
    }
    truePeak = new TruePeakDetector(sampleRate, channels);
    subLength = Math.max(1, (int) Math.round(sampleRate / 100.0));
  }

  /** Adds {@code frames} interleaved frames. */
  public void add(float[] interleaved, int frames) {
    truePeak.add(interleaved, frames);
    for (int f = 0; f < frames; f++) {
      int base = f * channels;
      double e = 0;
      for (int c = 0; c < channels; c++) {
        double x = interleaved[base + c];
        double a = Math.abs(x);
        if (a > samplePeak) {
          samplePeak = a;
        }
        if (weights[c] != 0) {
          double y = highPass[c].process(shelf[c].process(x));
          e += weights[c] * y * y;
        }
      }
      subEnergy += e;
      if (++subCount == subLength) {
        endSubBlock();
      }
    }
  }

  private void endSubBlock() {
    ring[(int) (subs % SHORT_TERM_SUBS)] = subEnergy;
    subs++;
    subEnergy = 0;
    subCount = 0;
    if (subs >= MOMENTARY_SUBS) {
      double m = windowEnergy(MOMENTARY_SUBS);
      momentaryMax = Math.max(momentaryMax, m);
      if (subs % SUBS_PER_GATE_STEP == 0) {
        gatingBlocks = append(gatingBlocks, gatingCount++, m);
      }
    }
    if (subs >= SHORT_TERM_SUBS) {
      double s = windowEnergy(SHORT_TERM_SUBS);
      shortTermMax = Math.max(shortTermMax, s);
      if (subs % SUBS_PER_GATE_STEP == 0) {
        shortTermBlocks = append(shortTermBlocks, shortTermCount++, s);
      }
    }
  }

  /** Mean-square weighted energy of the latest {@code n} sub-blocks (summed afresh: no drift). */
  private double windowEnergy(int n) {
    double sum = 0;
    for (long i = subs - n; i < subs; i++) {
      sum += ring[(int) (i % SHORT_TERM_SUBS)];
    }
    return sum / ((double) n * subLength);
  }

  private static double[] append(double[] a, int at, double v) {
    if (at == a.length) {
      a = Arrays.copyOf(a, a.length * 2);
    }
    a[at] = v;
    return a;
  }

  private static double lufs(double energy) {
    return energy > 0 ? -0.691 + 10 * Math.log10(energy) : Double.NEGATIVE_INFINITY;
  }

  private static double energyOf(double lufs) {
    return Math.pow(10, (lufs + 0.691) / 10);
  }

  private static double db(double linear) {
    return linear > 0 ? 20 * Math.log10(linear) : Double.NEGATIVE_INFINITY;
  }

  /**
   * Momentary loudness (400 ms window) every 100 ms, LUFS, the first window ending at 0.4 s;
   * negative infinity for silence. Exact for rates that are multiples of 100 Hz.
   */
  public double[] momentarySeries() {
    return series(gatingBlocks, gatingCount);
  }

  /** Short-term loudness (3 s window) every 100 ms, LUFS, the first window ending at 3 s. */
  public double[] shortTermSeries() {
    return series(shortTermBlocks, shortTermCount);
  }

  private static double[] series(double[] energies, int n) {
    double[] out = new double[n];
    for (int i = 0; i < n; i++) out[i] = lufs(energies[i]);
    return out;
  }

  /** The measurements so far. */
  public LoudnessResult result() {
    return new LoudnessResult(
        integrated(),
        loudnessRange(),
        db(samplePeak),
        db(Math.max(samplePeak, truePeak.peak())),
        subs >= MOMENTARY_SUBS ? lufs(momentaryMax) : Double.NEGATIVE_INFINITY,
        subs >= SHORT_TERM_SUBS ? lufs(shortTermMax) : Double.NEGATIVE_INFINITY);
  }

  /** BS.1770-4: absolute gate at -70 LUFS, then a relative gate 10 LU below the gated mean. */
  private double integrated() {
    double absolute = energyOf(-70);
    double sum = 0;
    int n = 0;
    for (int i = 0; i < gatingCount; i++) {
      if (gatingBlocks[i] > absolute) {
        sum += gatingBlocks[i];
        n++;
      }
    }
    if (n == 0) {
      return Double.NEGATIVE_INFINITY;
    }
    double relative = energyOf(lufs(sum / n) - 10);
    sum = 0;
    n = 0;
    for (int i = 0; i < gatingCount; i++) {
      if (gatingBlocks[i] > absolute && gatingBlocks[i] > relative) {
        sum += gatingBlocks[i];
        n++;
      }
    }
    return n == 0 ? Double.NEGATIVE_INFINITY : lufs(sum / n);
  }

  /**
   * EBU Tech 3342: short-term blocks gated at -70 LUFS and 20 LU below their mean; the range from
   * the 10th to the 95th percentile (nearest rank).
   */
  private double loudnessRange() {
    double absolute = energyOf(-70);
    double sum = 0;
    int n = 0;
    for (int i = 0; i < shortTermCount; i++) {
      if (shortTermBlocks[i] > absolute) {
        sum += shortTermBlocks[i];
        n++;
      }
    }
    if (n == 0) {
      return 0;
    }
    double relative = energyOf(lufs(sum / n) - 20);
    double[] kept = new double[n];
    int k = 0;
    for (int i = 0; i < shortTermCount; i++) {
      if (shortTermBlocks[i] > absolute && shortTermBlocks[i] > relative) {
        kept[k++] = lufs(shortTermBlocks[i]);
      }
    }
    if (k == 0) {
      return 0;
    }
    Arrays.sort(kept, 0, k);
    double low = kept[(int) Math.round((k - 1) * 0.10)];
    double high = kept[(int) Math.round((k - 1) * 0.95)];
    return high - low;
  }
}
