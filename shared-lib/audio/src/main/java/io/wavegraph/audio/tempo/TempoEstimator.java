package io.wavegraph.audio.tempo;

/**
 * Chooses the beat period from the autocorrelation of two onset curves: all bands, and the low bands
 * only (below {@link OnsetEnvelope#LOW_BAND_HZ}).
 *
 * <p>A strictly periodic signal correlates equally well at its period and at every multiple of it,
 * so the strongest lag alone says little about which metrical level is the beat. The estimator
 * starts from the strongest lag between {@link #SLOWEST_BPM} and {@link #FASTEST_BPM} and then moves
 * to an integer multiple of that tempo (twice first) as long as the faster pulse is nearly as regular:
 *
 * <ul>
 *   <li>where the low bands carry a pulse at the current level, the faster level must be at least
 *       {@link #LOW_RATIO} as regular there. Kick and snare alternating on the beat keep the
 *       faster level even when noise or accents make them unequal, while off-beat hi-hats, which
 *       are nearly absent below 2 kHz, do not turn eighth notes into beats;
 *   <li>otherwise (hi-hats or high clicks alone) the faster level must reach {@link #FULL_RATIO}
 *       of the current level's correlation on all bands.
 * </ul>
 *
 * <p>A half-time groove (kick and snare on alternate beats, hi-hats on every beat) is therefore
 * reported at half the tempo: from the onsets alone it cannot be told from eighth-note hi-hats over
 * kick and snare on every beat, and the second is the more common reading.
 *
 * <p>Nothing faster than {@link #FASTEST_BPM} is chosen.
 */
final class TempoEstimator {
  static final double SLOWEST_BPM = 30;
  static final double FASTEST_BPM = 200;
  static final double FULL_RATIO = 0.85;
  static final double LOW_RATIO = 0.80;
  /** Correlation at the current level above which the low bands are said to carry a pulse. */
  static final double LOW_PULSE = 0.3;
  /** Below this normalised correlation there is no usable pulse. */
  static final double MIN_STRENGTH = 0.05;
  /**
   * Below this tempo a faster level is taken on weaker evidence ({@link #SLOW_RATIO}): music this
   * slow is rare, and a strong bar-length period (an accent every 4 beats) must not win over the
   * beat.
   */
  static final double SLOW_BPM = 50;
  static final double SLOW_RATIO = 0.5;
  /** Relative window around an expected lag in which its peak is looked for. */
  private static final double LAG_TOLERANCE = 0.03;

  private TempoEstimator() {}

  /** The beat period in frames (refined between frames) and its correlation, or null when none. */
  record Estimate(double period, double strength) {}

  static Estimate estimate(double[] full, double[] low, double frameRate) {
    double slowestLag = 60 * frameRate / SLOWEST_BPM;
    double fastestLag = 60 * frameRate / FASTEST_BPM;
    int maxLag = (int) Math.ceil(slowestLag * (1 + LAG_TOLERANCE)) + 1;
    Periodicity all = Periodicity.of(full, maxLag);
    Periodicity bass = Periodicity.of(low, maxLag);
    Periodicity.Peak current = all.highest(fastestLag, slowestLag);
    if (current.strength() < MIN_STRENGTH || full.length < 2 * current.lag()) {
      return null;
    }
    boolean moved = true;
    while (moved) {
      moved = false;
      // Smallest ratio first: a bar of 5 or 7 beats is as possible as one of 2 or 3.
      for (int k = 2; current.lag() / k >= fastestLag * (1 - LAG_TOLERANCE) && !moved; k++) {
        double lag = current.lag() / k;
        Periodicity.Peak faster = near(all, lag);
        Periodicity.Peak lowHere = near(bass, current.lag());
        Periodicity.Peak lowFaster = near(bass, lag);
        // The low bands decide when they carry a pulse of their own; all bands only when they do not.
        boolean slow = 60 * frameRate / current.lag() < SLOW_BPM;
        boolean accept = lowHere.strength() >= LOW_PULSE
            ? lowFaster.strength() >= LOW_RATIO * lowHere.strength() && faster.strength() >= MIN_STRENGTH
            : faster.strength() >= FULL_RATIO * current.strength();
        accept |= slow && faster.strength() >= SLOW_RATIO * current.strength();
        if (accept) {
          current = faster;
          moved = true;
        }
      }
    }
    return new Estimate(current.lag(), current.strength());
  }

  private static Periodicity.Peak near(Periodicity p, double lag) {
    return p.highest(lag * (1 - LAG_TOLERANCE), lag * (1 + LAG_TOLERANCE));
  }
}
