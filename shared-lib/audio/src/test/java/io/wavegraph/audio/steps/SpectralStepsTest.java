package io.wavegraph.audio.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wavegraph.audio.SampleFormat;
import io.wavegraph.audio.WavWriter;
import io.wavegraph.core.step.BadInputException;
import io.wavegraph.core.step.BadParameterException;
import io.wavegraph.core.step.Params;
import io.wavegraph.core.step.Step;
import io.wavegraph.testkit.StepHarness;
import java.util.function.Supplier;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SpectralStepsTest {
  @TempDir static Path dir;
  static Path wav;

  /** 1 s of 44.1 kHz stereo: a 1 kHz tone left, 3 kHz right. */
  @BeforeAll
  static void writeInput() throws Exception {
    wav = dir.resolve("tone.wav");
    int rate = 44100;
    float[] x = new float[rate * 2];
    for (int n = 0; n < rate; n++) {
      x[2 * n] = (float) (0.5 * Math.sin(2 * Math.PI * 1000 * n / rate));
      x[2 * n + 1] = (float) (0.5 * Math.sin(2 * Math.PI * 3000 * n / rate));
    }
    try (WavWriter w = WavWriter.create(wav, rate, 2, SampleFormat.PCM_16)) {
      w.write(x, rate);
    }
  }

  /** Runs the step through the test kit's harness, which also fails on unread parameters and unwritten outputs. */
  static StepHarness.Result run(Supplier<Step> step, Map<String, Object> params, String sub) throws Exception {
    return StepHarness.of(step).params(params).workdir(Files.createDirectories(dir.resolve(sub))).run(wav);
  }

  static void process(Supplier<Step> step, Map<String, Object> params, Path input, String sub) throws Exception {
    StepHarness.of(step).params(params).workdir(Files.createDirectories(dir.resolve(sub))).run(input);
  }

  static String npyHeader(Path f) throws Exception {
    byte[] b = Files.readAllBytes(f);
    return new String(b, 10, b[8] & 0xFF | (b[9] & 0xFF) << 8, StandardCharsets.US_ASCII);
  }

  @Test
  void registeredByName() {
    assertThat(new AudioSteps().steps()).containsKeys("spectrogram", "mel", "mfcc", "downsample", "loudness");
    assertThat(new AudioSteps().steps().get("mel").get()).isInstanceOf(MelStep.class);
  }

  @Test
  void spectrogramWritesNpyAndPng() throws Exception {
    StepHarness.Result io = run(SpectrogramStep::new, Map.of(), "spectrogram");
    // 1 s resampled to 22050 Hz: 1 + 22050 // 512 = 44 frames of 1025 bins
    assertThat(npyHeader(io.file("npy"))).contains("'shape': (1025, 44)");
    assertThat(Files.size(io.file("npy"))).isEqualTo(128 + 4L * 1025 * 44);
    BufferedImage img = ImageIO.read(io.file("png").toFile());
    assertThat(img.getWidth()).isEqualTo(1200);
    assertThat(img.getHeight()).isEqualTo(600);
  }

  @Test
  void melWithOptionsAndMfcc() throws Exception {
    StepHarness.Result mel = run(MelStep::new, Map.of("sr", 16000, "n_fft", 512, "hop", 160, "n_mels", 40, "fmin", 20, "fmax", 7600, "htk", true), "mel");
    assertThat(npyHeader(mel.file("npy"))).contains("'shape': (40, 101)");
    assertThat(Files.exists(mel.file("png"))).isTrue();
    StepHarness.Result mfcc = run(MfccStep::new, Map.of("n_mfcc", 13), "mfcc");
    assertThat(new MfccStep().outputs()).containsExactly("npy");
    assertThat(npyHeader(mfcc.file("npy"))).contains("'shape': (13, 44)");
  }

  @Test
  void nativeRateKeepsTheFilesRate() throws Exception {
    StepHarness.Result io = run(MelStep::new, Map.of("sr", 0), "native");
    assertThat(npyHeader(io.file("npy"))).contains("'shape': (128, " + (1 + 44100 / 512) + ")");
  }

  @Test
  void fmaxAboveTheNativeNyquistFailsTheItem() throws Exception {
    assertThatThrownBy(() -> process(MelStep::new, Map.of("sr", 0, "fmax", 30000), wav, "bad")).isInstanceOf(BadInputException.class).hasMessageContaining("tone.wav");
  }

  @Test
  void notAudioFailsTheItem() throws Exception {
    Path junk = Files.writeString(dir.resolve("junk.wav"), "not audio at all");
    assertThatThrownBy(() -> process(SpectrogramStep::new, Map.of(), junk, "junk")).isInstanceOf(BadInputException.class).hasMessageContaining("junk.wav");
  }

  @ParameterizedTest(name = "{0}: {1} = {2}")
  @CsvSource(delimiter = '|', value = {
    "spectrogram | n_fft    | 1000    | power of two",
    "spectrogram | n_fft    | 8       | between 16 and 65536",
    "spectrogram | hop      | 0       | between 1",
    "spectrogram | power    | 3       | between 1 and 2",
    "spectrogram | window   | hamming | must be one of hann",
    "spectrogram | pad_mode | edge    | constant, reflect",
    "spectrogram | sr       | 500     | 0 (the file's rate)",
    "spectrogram | center   | yes     | true or false",
    "mel         | fmax     | 12000   | at most sr/2",
    "mel         | fmin     | 11025   | below fmax",
    "mel         | n_mels   | 0       | between 1",
    "mel         | norm     | l2      | slaney, none",
    "mfcc        | n_mfcc   | 200     | between 1 and 128",
    "mfcc        | top_db   | 0       | between 1",
  })
  void badParametersAreRejected(String stepName, String param, String value, String message) {
    Step step = new AudioSteps().steps().get(stepName).get();
    Map<String, Object> p = new HashMap<>();
    p.put(param, value.matches("-?\\d+") ? (Object) Integer.valueOf(value) : value);
    assertThatThrownBy(() -> step.configure(new Params(p)))
        .isInstanceOf(BadParameterException.class)
        .hasMessageContaining(message)
        .extracting(e -> ((BadParameterException) e).parameter()).isEqualTo(param);
  }

  @Test
  void melParametersAreUnknownToTheSpectrogram() throws Exception {
    Params p = new Params(Map.of("n_mels", 64));
    new SpectrogramStep().configure(p);
    assertThat(p.unread()).containsExactly("n_mels");
  }
}
