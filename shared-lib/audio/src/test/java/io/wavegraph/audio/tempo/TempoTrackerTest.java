package io.wavegraph.audio.tempo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.wavegraph.audio.AudioDecoders;
import io.wavegraph.audio.AudioSource;
import io.wavegraph.audio.SampleFormat;
import io.wavegraph.audio.WavWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TempoTrackerTest {
  private static final int RATE = 22050;
  private static final double SECONDS = 20;
  private static final double TOLERANCE_S = 0.07;
  private static final double SKIP_S = 5;

  static TempoResult analyze(float[] mono, int rate) {
    TempoTracker tracker = new TempoTracker(rate, 1);
    tracker.add(mono, mono.length);
    return tracker.result();
  }

  private static void assertTracks(TempoResult r, double bpm) {
    assertThat(r.bpm()).isCloseTo(bpm, within(0.02 * bpm));
    assertThat(BeatSignals.fMeasure(r.beats(), BeatSignals.beats(bpm, SECONDS), TOLERANCE_S, SKIP_S))
        .isGreaterThanOrEqualTo(0.9);
    assertThat(r.confidence()).isBetween(0.5, 1.0);
  }

  @ParameterizedTest
  @ValueSource(doubles = {60, 90, 120, 140, 174})
  void clickTrackOverDigitalSilence(double bpm) {
    assertTracks(analyze(BeatSignals.clicks(bpm, SECONDS, RATE, 0), RATE), bpm);
  }

  @ParameterizedTest
  @ValueSource(doubles = {60, 90, 120, 140, 174})
  void rockDrumPattern(double bpm) {
    // Off-beat hi-hats must not double the tempo, nor kick/snare alternation halve it.
    assertTracks(analyze(BeatSignals.drums(bpm, SECONDS, RATE), RATE), bpm);
  }

  @Test
  void accentsOnEveryOtherBeatDoNotHalveTheTempo() {
    assertTracks(analyze(BeatSignals.clicks(120, SECONDS, RATE, 2), RATE), 120);
  }

  @Test
  void drumsInNoiseAt10dbSnr() {
    float[] drums = BeatSignals.drums(128, SECONDS, RATE);
    double power = 0;
    for (float v : drums) {
      power += v * v;
    }
    double rms = Math.sqrt(power / drums.length / 10);
    assertTracks(analyze(BeatSignals.withNoise(drums, rms, 3), RATE), 128);
  }

  @Test
  void stereoFileAt44100IsMixedAndResampled(@TempDir Path dir) throws Exception {
    float[] mono = BeatSignals.drums(97.5, SECONDS, 44100);
    float[] stereo = new float[2 * mono.length];
    for (int i = 0; i < mono.length; i++) {
      stereo[2 * i] = mono[i];
      stereo[2 * i + 1] = mono[i];
    }
    Path file = dir.resolve("drums.wav");
    try (WavWriter w = WavWriter.create(file, 44100, 2, SampleFormat.PCM_16)) {
      w.write(stereo, mono.length);
    }
    try (AudioSource s = AudioDecoders.open(file)) {
      assertTracks(TempoTracker.analyze(s), 97.5);
    }
  }

  @Test
  void blockSizeDoesNotChangeTheResult() {
    float[] x = BeatSignals.drums(90, 12, RATE);
    TempoTracker pieces = new TempoTracker(RATE, 1);
    for (int at = 0; at < x.length; at += 777) {
      int n = Math.min(777, x.length - at);
      pieces.add(java.util.Arrays.copyOfRange(x, at, at + n), n);
    }
    assertThat(pieces.result()).isEqualTo(analyze(x, RATE));
  }

  @Test
  void silenceHasNoTempo() {
    TempoResult r = analyze(new float[RATE * 10], RATE);
    assertThat(r).isEqualTo(TempoResult.NONE);
    assertThat(r.hasTempo()).isFalse();
    assertThat(r.bpm()).isZero();
    assertThat(r.confidence()).isZero();
    assertThat(r.beats()).isEmpty();
  }

  @Test
  void veryShortInputHasNoTempo() {
    assertThat(analyze(new float[0], RATE)).isEqualTo(TempoResult.NONE);
    assertThat(analyze(BeatSignals.clicks(120, 0.2, RATE, 0), RATE).hasTempo()).isFalse();
    // One second holds two clicks at 120 BPM: not enough to call a tempo.
    TempoResult second = analyze(BeatSignals.clicks(120, 1.0, RATE, 0), RATE);
    assertThat(second.confidence()).isBetween(0.0, 1.0);
  }

  @Test
  void beatsAreAscendingAndInsideTheSignal() {
    double[] beats = analyze(BeatSignals.drums(140, SECONDS, RATE), RATE).beats();
    assertThat(beats).isSorted();
    assertThat(beats[0]).isGreaterThanOrEqualTo(0);
    assertThat(beats[beats.length - 1]).isLessThanOrEqualTo(SECONDS);
    assertThat(beats[0]).isCloseTo(BeatSignals.FIRST_BEAT, within(TOLERANCE_S));
  }

  @Test
  void resultIsSingleUse() {
    TempoTracker t = new TempoTracker(RATE, 1);
    t.result();
    org.assertj.core.api.Assertions.assertThatIllegalStateException().isThrownBy(t::result);
    org.assertj.core.api.Assertions.assertThatIllegalStateException().isThrownBy(() -> t.add(new float[4], 4));
  }
}
