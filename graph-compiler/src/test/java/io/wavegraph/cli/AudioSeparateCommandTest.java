package io.wavegraph.cli;

import static io.wavegraph.cli.CliFixture.cli;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code wavegraph audio separate}: the separate step on one file, as a researcher tries it. */
class AudioSeparateCommandTest {
  @TempDir Path tmp;

  @Test
  void writesTheStemsOfTheMethodAndTheyAddUpToTheInput() throws Exception {
    Path in = tmp.resolve("tone.wav");
    CliFixture.sine(in, 22050, 3, 440, -12);
    var r = cli("audio", "separate", in.toString(), tmp.resolve("stems").toString(), "--method", "hpss", "-p", "fft=1024");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("tone.harmonic.wav").contains("tone.percussive.wav").contains("x real time")
        .doesNotContain("vocals");
    float[] x = CliFixture.firstChannel(in);
    float[] h = CliFixture.firstChannel(tmp.resolve("stems/tone.harmonic.wav"));
    float[] p = CliFixture.firstChannel(tmp.resolve("stems/tone.percussive.wav"));
    assertThat(h).hasSameSizeAs(x);
    double energyH = 0;
    double energyP = 0;
    for (int i = 0; i < x.length; i++) {
      assertThat((double) (h[i] + p[i])).isCloseTo(x[i], org.assertj.core.data.Offset.offset(1e-4));
      energyH += h[i] * h[i];
      energyP += p[i] * p[i];
    }
    // A steady tone is harmonic.
    assertThat(energyH).isGreaterThan(100 * energyP);
  }

  @Test
  void aBadParameterIsNamedAndExitsTwo() throws Exception {
    Path in = tmp.resolve("tone.wav");
    CliFixture.sine(in, 22050, 1, 440, -12);
    var bad = cli("audio", "separate", in.toString(), tmp.resolve("o").toString(), "-p", "fft=1000");
    assertThat(bad.exit()).isEqualTo(2);
    assertThat(bad.err()).contains("fft").contains("power of two");
    var unknown = cli("audio", "separate", in.toString(), tmp.resolve("o").toString(), "--method", "hpss", "-p", "max_repeats=5");
    assertThat(unknown.exit()).isEqualTo(2);
    assertThat(unknown.err()).contains("max_repeats");
  }

}
