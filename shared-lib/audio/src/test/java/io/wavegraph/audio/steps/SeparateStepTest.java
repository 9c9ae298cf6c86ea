package io.wavegraph.audio.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.wavegraph.audio.AudioDecoders;
import io.wavegraph.audio.AudioSource;
import io.wavegraph.audio.SampleFormat;
import io.wavegraph.audio.WavWriter;
import io.wavegraph.core.step.BadInputException;
import io.wavegraph.core.step.BadParameterException;
import io.wavegraph.core.step.Params;
import io.wavegraph.core.step.Step;
import io.wavegraph.testkit.StepHarness;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SeparateStepTest {
  static final int RATE = 44100;
  @TempDir static Path dir;
  static Path wav;
  static float[] mix;

  /** 2 s of stereo at 44.1 kHz: a chord left and right, with noise hits on the right only. */
  @BeforeAll
  static void writeInput() throws Exception {
    int n = 2 * RATE;
    mix = new float[2 * n];
    SplittableRandom rnd = new SplittableRandom(1);
    for (int i = 0; i < n; i++) {
      double t = (double) i / RATE;
      double chord = 0.2 * Math.sin(2 * Math.PI * 220 * t) + 0.1 * Math.sin(2 * Math.PI * 330 * t);
      int sinceHit = i % (RATE / 4);
      double hit = 0.4 * Math.exp(-sinceHit / (0.03 * RATE)) * (2 * rnd.nextDouble() - 1);
      mix[2 * i] = (float) chord;
      mix[2 * i + 1] = (float) (0.8 * chord + hit);
    }
    wav = dir.resolve("mix.wav");
    try (WavWriter w = WavWriter.create(wav, RATE, 2, SampleFormat.FLOAT_32)) {
      w.write(mix, n);
    }
  }

  static StepHarness.Result run(Map<String, Object> params, String sub) throws Exception {
    return run(params, wav, sub);
  }

  static StepHarness.Result run(Map<String, Object> params, Path input, String sub) throws Exception {
    return StepHarness.of(SeparateStep::new).params(params).workdir(Files.createDirectories(dir.resolve(sub))).run(input);
  }

  static Step configured(Map<String, Object> params) throws BadParameterException {
    Step step = new SeparateStep();
    Params p = new Params(params);
    step.configure(p);
    assertThat(p.unread()).isEmpty();
    return step;
  }

  static float[] read(Path f) throws Exception {
    try (AudioSource s = AudioDecoders.open(f)) {
      assertThat(s.sampleRate()).isEqualTo(RATE);
      assertThat(s.channels()).isEqualTo(2);
      float[] x = new float[mix.length];
      int at = 0;
      float[] block = new float[8192 * 2];
      int n;
      while ((n = s.read(block, 8192)) > 0) {
        System.arraycopy(block, 0, x, at, 2 * n);
        at += 2 * n;
      }
      assertThat(at).isEqualTo(mix.length);
      return x;
    }
  }

  @Test
  void bothMethodsWriteFourStemsThatSumToTheMixturePairwise() throws Exception {
    StepHarness.Result out = run(Map.of(), "both");
    assertThat(out.outputs().keySet()).containsExactly("harmonic.wav", "percussive.wav", "vocals.wav", "accompaniment.wav");
    assertSum(read(out.file("harmonic.wav")), read(out.file("percussive.wav")));
    assertSum(read(out.file("vocals.wav")), read(out.file("accompaniment.wav")));
    // The left channel has no hits: almost all of it is harmonic.
    float[] percussive = read(out.file("percussive.wav"));
    assertThat(energy(percussive, 0)).isLessThan(0.01 * energy(mix, 0));
    assertThat(energy(percussive, 1)).isGreaterThan(20 * energy(percussive, 0));
  }

  private static void assertSum(float[] a, float[] b) {
    for (int i = 0; i < mix.length; i++) assertThat(a[i] + b[i]).isCloseTo(mix[i], within(1e-4f));
  }

  private static double energy(float[] x, int channel) {
    double e = 0;
    for (int i = channel; i < x.length; i += 2) e += x[i] * x[i];
    return e;
  }

  @Test
  void oneMethodDeclaresOnlyItsStems() throws Exception {
    assertThat(configured(Map.of("method", "hpss", "harmonic_kernel", 31)).outputs()).containsExactly("harmonic.wav", "percussive.wav");
    StepHarness.Result out = run(Map.of("method", "repet-sim", "fft", 1024, "min_distance", 0.25, "format", "pcm16"), "repet");
    assertThat(out.outputs().keySet()).containsExactly("vocals.wav", "accompaniment.wav");
    float[] vocals = read(out.file("vocals.wav"));
    float[] accompaniment = read(out.file("accompaniment.wav"));
    for (int i = 0; i < mix.length; i++) assertThat(vocals[i] + accompaniment[i]).isCloseTo(mix[i], within(2e-4f));
  }

  @ParameterizedTest
  @CsvSource({
    "method, 'karaoke', must be one of",
    "fft, 1000, power of two",
    "hop, 2000, between 1 and 1024",
    "harmonic_kernel, 16, must be odd",
    "percussive_kernel, 0, between 1 and 255",
    "power, 0, between",
    "max_repeats, 0, between",
    "min_similarity, 2, between",
    "kernels, 'gpu', no GPU separation kernels are installed",
    "format, 'mp3', must be one of",
  })
  void badParametersAreNamed(String name, String value, String problem) {
    Object v = value.matches("-?\\d+(\\.\\d+)?") ? (Object) (value.contains(".") ? Double.parseDouble(value) : Integer.parseInt(value)) : value;
    assertThatThrownBy(() -> new SeparateStep().configure(new Params(Map.of(name, v))))
        .isInstanceOf(BadParameterException.class)
        .hasMessageContaining(problem)
        .satisfies(e -> assertThat(((BadParameterException) e).parameter()).isEqualTo(name));
  }

  @Test
  void parametersOfTheOtherMethodAreNotRead() throws Exception {
    Params p = new Params(Map.of("method", "hpss", "max_repeats", 10));
    new SeparateStep().configure(p);
    assertThat(p.unread()).containsExactly("max_repeats");
  }

  @Test
  void emptyAndOverlongInputsFailTheItem() throws Exception {
    Path empty = dir.resolve("empty.wav");
    try (WavWriter w = WavWriter.create(empty, RATE, 1, SampleFormat.PCM_16)) {
      w.write(new float[0], 0);
    }
    assertThatThrownBy(() -> run(Map.of(), empty, "empty")).isInstanceOf(BadInputException.class).hasMessageContaining("empty.wav");
    assertThatThrownBy(() -> run(Map.of("max_seconds", 1), wav, "short")).isInstanceOf(BadInputException.class).hasMessageContaining("max_seconds");
    Path notAudio = Files.writeString(dir.resolve("notes.wav"), "not audio");
    assertThatThrownBy(() -> run(Map.of(), notAudio, "notes")).isInstanceOf(BadInputException.class).hasMessageContaining("notes.wav");
  }

  @Test
  void theCatalogNamesIt() {
    assertThat(new AudioSteps().steps()).containsKey("separate");
    assertThat(Arrays.asList(new SeparateStep().version())).containsExactly("1");
  }
}
