package io.wavegraph.cli;

import static io.wavegraph.cli.CliFixture.cli;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AudioSpectralCommandTest {

  @Test
  void melWritesNpyAndPngAndDescribesThemInJson(@TempDir Path tmp) throws Exception {
    Path in = tmp.resolve("tone.wav");
    CliFixture.sine(in, 44100, 1.0, 1000, -6);
    CliFixture.Result r = cli("audio", "mel", in.toString(), tmp.resolve("m.npy").toString(), "--png", tmp.resolve("m.png").toString(),
        "--n-mels", "64", "--json");
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode j = r.json();
    assertThat(j.at("/shape/0").asInt()).isEqualTo(64);
    assertThat(j.at("/shape/1").asInt()).isEqualTo(1 + 22050 / 512);
    assertThat(j.at("/params/sr").asInt()).isEqualTo(22050);
    assertThat(j.at("/params/pad_mode").asText()).isEqualTo("constant");
    assertThat(Files.size(tmp.resolve("m.npy"))).isEqualTo(128 + 4L * 64 * 44);
    assertThat(Files.size(tmp.resolve("m.png"))).isGreaterThan(1000);
  }

  @Test
  void spectrogramAndMfccShapes(@TempDir Path tmp) throws Exception {
    Path in = tmp.resolve("tone.wav");
    CliFixture.sine(in, 16000, 0.5, 440, -6);
    CliFixture.Result s = cli("audio", "spectrogram", in.toString(), tmp.resolve("s.npy").toString(), "--sr", "0", "--n-fft", "512",
        "--hop", "128", "--no-center", "--power", "1", "--json");
    assertThat(s.exit()).as(s.err()).isZero();
    assertThat(s.json().at("/shape/0").asInt()).isEqualTo(257);
    assertThat(s.json().at("/shape/1").asInt()).isEqualTo(1 + (8000 - 512) / 128);
    CliFixture.Result m = cli("audio", "mfcc", in.toString(), tmp.resolve("c.npy").toString(), "--n-mfcc", "13", "--json");
    assertThat(m.exit()).as(m.err()).isZero();
    assertThat(m.json().at("/shape/0").asInt()).isEqualTo(13);
  }

  @Test
  void badOptionsAreUsageErrorsNamingTheOption(@TempDir Path tmp) throws Exception {
    Path in = tmp.resolve("tone.wav");
    CliFixture.sine(in, 16000, 0.2, 440, -6);
    CliFixture.Result r = cli("audio", "mel", in.toString(), tmp.resolve("m.npy").toString(), "--n-fft", "1000");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--n-fft").contains("power of two");
    assertThat(Files.exists(tmp.resolve("m.npy"))).isFalse();
  }
}
