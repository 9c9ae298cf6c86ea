package io.wavegraph.audio.tempo;

import io.wavegraph.audio.AudioSource;
import io.wavegraph.audio.ChannelMixer;
import io.wavegraph.audio.Resampler;
import java.io.IOException;

/**
 * Global tempo and beat times of a piece of audio.
 *
 * <p>The signal is mixed to mono and resampled to 22.05 kHz; its onset strength (log-magnitude
 * spectral flux on mel bands, {@link OnsetEnvelope}) is autocorrelated to choose the beat period
 * ({@link TempoEstimator}), and beats are placed on the onsets by dynamic programming ({@link
 * BeatTracker}). The reported tempo is the mean beat rate of the tracked beats, so for a piece that
 * speeds up it is the average tempo.
 *
 * <p>Usage: {@link #add} interleaved blocks of any size, then {@link #result()} once; or {@link
 * #analyze} a whole source. Memory grows with the duration, about 28 kB per second of audio: the
 * band levels are kept for the whole signal because their floor is set relative to its loudest
 * moment. Not thread-safe; single use.
 */
public final class TempoTracker {
  private static final int BLOCK = 8192;
  /**
   * The onset curve peaks before the sound does: the rise in dB is steepest as the sound enters
   * the analysis window. Measured on clicks and drums.
   */
  private static final double ONSET_DELAY_S = 0.014;

  private final ChannelMixer mixer;
  private final Resampler resampler;
  private final OnsetEnvelope envelope = new OnsetEnvelope();
  private float[] mono = new float[0];
  private float[] resampled = new float[0];
  private boolean done;
  private final int sampleRate;
  private long framesAdded;

  public TempoTracker(int sampleRate, int channels) {
    this.sampleRate = sampleRate;
    mixer = ChannelMixer.create(channels, 1);
    // FAST keeps 96 dB of alias rejection, far more than onset detection can notice.
    resampler = Resampler.create(sampleRate, OnsetEnvelope.RATE, 1, Resampler.Quality.FAST);
  }

  /** Reads {@code source} to its end and analyses it; the source is not closed. */
  public static TempoResult analyze(AudioSource source) throws IOException {
    TempoTracker tracker = new TempoTracker(source.sampleRate(), source.channels());
    float[] buffer = new float[BLOCK * source.channels()];
    int n;
    while ((n = source.read(buffer, BLOCK)) > 0) {
      tracker.add(buffer, n);
    }
    return tracker.result();
  }

  /** Adds {@code frames} interleaved frames. */
  public void add(float[] interleaved, int frames) {
    if (done) {
      throw new IllegalStateException("add after result(); a TempoTracker is single-use");
    }
    if (frames <= 0) {
      return;
    }
    if (mono.length < frames) {
      mono = new float[frames];
      resampled = new float[resampler.maxOutputFrames(frames)];
    }
    framesAdded += frames;
    mixer.mix(interleaved, frames, mono);
    envelope.add(resampled, resampler.process(mono, frames, resampled));
  }

  /** Analyses everything added so far; call once. */
  public TempoResult result() {
    if (done) {
      throw new IllegalStateException("result() called twice");
    }
    done = true;
    float[] tail = new float[Math.max(resampled.length, 4096)];
    int m;
    while ((m = resampler.flush(tail)) > 0) {
      envelope.add(tail, m);
    }
    OnsetEnvelope.BandLevels levels = envelope.finish();
    if (levels.silent()) {
      return TempoResult.NONE;
    }
    double frameRate = (double) OnsetEnvelope.RATE / OnsetEnvelope.HOP;
    double[] all = OnsetStrength.of(levels, 0, levels.bands());
    double[] low = OnsetStrength.of(levels, 0, levels.lowBands());
    TempoEstimator.Estimate estimate = TempoEstimator.estimate(all, low, frameRate);
    if (estimate == null) {
      return TempoResult.NONE;
    }
    double[] beatFrames = BeatTracker.track(all, estimate.period());
    double period = BeatPeriod.fit(beatFrames, estimate.period());
    double duration = (double) framesAdded / sampleRate;
    double[] beats = new double[beatFrames.length];
    int count = 0;
    for (double frame : beatFrames) {
      double t = (frame - OnsetEnvelope.LEAD_FRAMES) / frameRate + ONSET_DELAY_S;
      // Analysis runs a little past both ends of the signal; a beat there is at most a few ms off.
      if (t <= duration) {
        beats[count++] = Math.max(0, t);
      }
    }
    beats = java.util.Arrays.copyOf(beats, count);
    double confidence = Math.max(0, Math.min(1, estimate.strength()));
    return new TempoResult(60 * frameRate / period, confidence, beats);
  }
}
