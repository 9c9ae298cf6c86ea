package io.wavegraph.cli;

import static io.wavegraph.cli.CliFixture.cli;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.wavegraph.audio.AudioDecoders;
import io.wavegraph.audio.AudioSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole graph through the CLI, on real audio, as a user runs it. */
class RunCommandTest {
  @TempDir Path tmp;

  @Test
  void runsTheExampleGraphOnTheExampleAudioThenSkipsEverything() throws Exception {
    Path repo = Path.of("..").toAbsolutePath().normalize();
    Path work = tmp.resolve("work");
    var first = cli("run", repo.resolve("examples/catalog.yaml").toString(), "--input",
        repo.resolve("examples/audio").toString(), "--workdir", work.toString(), "--json");
    assertThat(first.exit()).as(first.err()).isZero();
    JsonNode j = first.json();
    int items;
    try (var files = Files.walk(repo.resolve("examples/audio"))) {
      items = (int) files.filter(Files::isRegularFile).count();
    }
    assertThat(items).isGreaterThanOrEqualTo(3);
    assertThat(j.at("/steps/downsample/processed").asInt()).isEqualTo(items);
    assertThat(j.at("/steps/loudness/processed").asInt()).isEqualTo(items);
    // The batch step ran in-process over one manifest holding every item.
    assertThat(j.at("/steps/separate/processed").asInt()).isEqualTo(items);
    assertThat(j.get("failures")).isEmpty();
    try (var manifests = Files.list(work.resolve("outputs/_wavegraph/manifests/separate"))) {
      assertThat(manifests.filter(f -> f.toString().endsWith(".json")).toList()).hasSize(1);
    }

    var second = cli("run", repo.resolve("examples/catalog.yaml").toString(), "--input",
        repo.resolve("examples/audio").toString(), "--workdir", work.toString(), "--json");
    assertThat(second.exit()).isZero();
    assertThat(second.json().at("/steps/downsample/skipped").asInt()).isEqualTo(items);
    assertThat(second.json().at("/steps/loudness/skipped").asInt()).isEqualTo(items);
    assertThat(second.json().at("/steps/downsample/processed").asInt()).isZero();
    assertThat(second.json().at("/steps/loudness/processed").asInt()).isZero();
    assertThat(second.json().at("/steps/separate/skipped").asInt()).isEqualTo(items);
    var status = cli("status", repo.resolve("examples/catalog.yaml").toString(), "--workdir", work.toString(), "--json");
    assertThat(status.json().at("/batches/separate/written").asInt()).isEqualTo(1);
    assertThat(status.json().at("/batches/separate/unfinished").asInt()).isZero();
    assertThat(status.json().at("/batches/separate/held").asInt()).isZero();

    // The FLAC example was decoded and resampled: 16 kHz mono, the right length.
    try (AudioSource s = AudioDecoders.open(work.resolve("outputs/downsample/pop/drums.wav"))) {
      assertThat(s.sampleRate()).isEqualTo(16000);
      assertThat(s.channels()).isEqualTo(1);
      assertThat(s.frames()).isEqualTo(64000);
    }
    // Its stems: as long as the mixture, and each pair sums back to it.
    float[] mix = CliFixture.firstChannel(work.resolve("outputs/downsample/pop/drums.wav"));
    float[] vocals = CliFixture.firstChannel(work.resolve("outputs/separate/pop/drums.vocals.wav"));
    float[] accompaniment = CliFixture.firstChannel(work.resolve("outputs/separate/pop/drums.accompaniment.wav"));
    float[] harmonic = CliFixture.firstChannel(work.resolve("outputs/separate/pop/drums.harmonic.wav"));
    float[] percussive = CliFixture.firstChannel(work.resolve("outputs/separate/pop/drums.percussive.wav"));
    assertThat(vocals).hasSameSizeAs(mix);
    double err = 0;
    double energy = 0;
    for (int i = 0; i < mix.length; i++) {
      energy += mix[i] * mix[i];
      err = Math.max(err, Math.abs(vocals[i] + accompaniment[i] - mix[i]));
      err = Math.max(err, Math.abs(harmonic[i] + percussive[i] - mix[i]));
    }
    assertThat(energy).isPositive();
    assertThat(err).isLessThan(1e-3);
  }


  @Test
  void measuresTheLoudnessOfAKnownSignal() throws Exception {
    Path in = tmp.resolve("in");
    // EBU Tech 3341 case 1: a 1 kHz stereo sine at -23 dBFS reads -23 LUFS; downsampling to
    // 16 kHz stereo keeps the tone and so the loudness.
    CliFixture.sine(in.resolve("ref.wav"), 48000, 20, 1000, -23);
    Path g = CliFixture.graph(tmp, "ref", "rate: 16000, channels: 2");
    var r = cli("run", g.toString(), "--input", in.toString(), "--workdir", tmp.resolve("w").toString(), "--json");
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode loud = CliFixture.JSON.readTree(tmp.resolve("w/outputs/loudness/ref.json").toFile());
    assertThat(loud.get("integrated_lufs").asDouble()).isCloseTo(-23.0, within(0.1));
    assertThat(loud.get("range_lu").asDouble()).isCloseTo(0.0, within(0.5));
    assertThat(loud.get("sample_peak_dbfs").asDouble()).isCloseTo(-23.0, within(0.1));
    assertThat(loud.get("sample_rate").asInt()).isEqualTo(16000);
    assertThat(loud.get("duration_seconds").asDouble()).isCloseTo(20.0, within(0.001));
  }

  @Test
  void corruptFilesFailAloneWithTheDecodersReason() throws Exception {
    Path in = tmp.resolve("in");
    CliFixture.sine(in.resolve("good1.wav"), 44100, 1, 440, -12);
    CliFixture.sine(in.resolve("good2.wav"), 44100, 1, 660, -12);
    CliFixture.sine(tmp.resolve("full.wav"), 44100, 1, 440, -12);
    byte[] whole = Files.readAllBytes(tmp.resolve("full.wav"));
    Files.write(in.resolve("truncated.wav"), java.util.Arrays.copyOf(whole, whole.length / 2));
    byte[] noise = new byte[20000];
    new Random(1).nextBytes(noise);
    Files.write(in.resolve("noise.flac"), noise);
    Path g = CliFixture.graph(tmp, "bad", "rate: 16000");
    Path work = tmp.resolve("w");
    var r = cli("run", g.toString(), "--input", in.toString(), "--workdir", work.toString(), "--json");
    assertThat(r.exit()).isEqualTo(1);
    JsonNode j = r.json();
    assertThat(j.at("/steps/downsample/processed").asInt()).isEqualTo(2);
    assertThat(j.at("/steps/downsample/failed").asInt()).isEqualTo(2);
    assertThat(j.at("/steps/loudness/processed").asInt()).isEqualTo(2);
    assertThat(j.get("failures")).hasSize(2);
    assertThat(j.get("failures").get(0).get("item").asText()).isEqualTo("noise");
    assertThat(j.get("failures").get(0).get("error").asText()).startsWith("noise.flac: ").containsIgnoringCase("not a WAV, FLAC, Ogg Vorbis or MP3");
    assertThat(j.get("failures").get(1).get("item").asText()).isEqualTo("truncated");
    assertThat(j.get("failures").get(1).get("error").asText()).startsWith("truncated.wav: ").contains("truncated");

    var status = cli("status", g.toString(), "--workdir", work.toString(), "--json");
    assertThat(status.exit()).isZero();
    JsonNode s = status.json();
    assertThat(s.at("/steps/downsample/done").asInt()).isEqualTo(2);
    assertThat(s.at("/steps/downsample/failed").asInt()).isEqualTo(2);
    assertThat(s.get("failures").toString()).contains("noise.flac: ").contains("truncated.wav: ");
    var text = cli("status", g.toString(), "--workdir", work.toString());
    assertThat(text.out()).contains("failed:").contains("truncated.wav: ");
  }

  /**
   * A re-run judges done items in chunks (of 500) on the run's threads: items changed on either
   * side of a chunk's edge, and in the last, short chunk, are redone, and only they.
   */
  @Test
  void aReRunOfMoreItemsThanOneChunkRedoesExactlyTheChangedOnes() throws Exception {
    Path in = tmp.resolve("many");
    Files.createDirectories(in);
    for (int i = 0; i < 1203; i++) Files.write(in.resolve(String.format("t%04d.wav", i)), tinyWav(0.3));
    Path graph = tmp.resolve("many.yaml");
    Files.writeString(graph, "name: many\nstorage: {input: gs://many-in, output: gs://many-out}\nsteps:\n"
        + "  loudness: {uses: loudness}\n");
    Path work = tmp.resolve("many-work");
    var first = cli("run", graph.toString(), "--input", in.toString(), "--workdir", work.toString(), "--threads", "2", "--json");
    assertThat(first.exit()).as(first.err()).isZero();
    assertThat(first.json().at("/steps/loudness/processed").asInt()).isEqualTo(1203);

    for (int i : new int[] {0, 499, 500, 1000, 1202}) Files.write(in.resolve(String.format("t%04d.wav", i)), tinyWav(0.7));
    var again = cli("run", graph.toString(), "--input", in.toString(), "--workdir", work.toString(), "--threads", "2", "--json");

    assertThat(again.exit()).as(again.err()).isZero();
    assertThat(again.json().at("/steps/loudness/processed").asInt()).isEqualTo(5);
    assertThat(again.json().at("/steps/loudness/skipped").asInt()).isEqualTo(1198);
  }

  /** 20 ms of 8 kHz mono 16-bit sine, {@code step} radians per sample. */
  private static byte[] tinyWav(double step) {
    int frames = 160;
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(44 + 2 * frames).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    b.put("RIFF".getBytes()).putInt(36 + 2 * frames).put("WAVEfmt ".getBytes()).putInt(16).putShort((short) 1)
        .putShort((short) 1).putInt(8000).putInt(16000).putShort((short) 2).putShort((short) 16)
        .put("data".getBytes()).putInt(2 * frames);
    for (int i = 0; i < frames; i++) b.putShort((short) (8000 * Math.sin(i * step)));
    return b.array();
  }

  @Test
  void forceParametersAndReplacedInputsRedoOnlyWhatChanged() throws Exception {
    Path in = tmp.resolve("in");
    for (int i = 0; i < 3; i++) CliFixture.sine(in.resolve("t" + i + ".wav"), 44100, 1, 300 + 100 * i, -20);
    Path work = tmp.resolve("w");
    Path g16 = CliFixture.graph(tmp, "redo", "rate: 16000");
    assertThat(cli("run", g16.toString(), "--input", in.toString(), "--workdir", work.toString()).exit()).isZero();

    byte[] before = Files.readAllBytes(work.resolve("outputs/downsample/t0.wav"));
    var forced = cli("run", g16.toString(), "--input", in.toString(), "--workdir", work.toString(), "--force", "--json");
    // Redone, but reproducibly: the dither is seeded per item.
    assertThat(Files.readAllBytes(work.resolve("outputs/downsample/t0.wav"))).isEqualTo(before);
    assertThat(forced.json().at("/steps/downsample/processed").asInt()).isEqualTo(3);
    assertThat(forced.json().at("/steps/loudness/processed").asInt()).isEqualTo(3);

    CliFixture.sine(in.resolve("t1.wav"), 44100, 1, 999, -20);
    var replaced = cli("run", g16.toString(), "--input", in.toString(), "--workdir", work.toString(), "--json").json();
    assertThat(replaced.at("/steps/downsample/processed").asInt()).isEqualTo(1);
    assertThat(replaced.at("/steps/downsample/skipped").asInt()).isEqualTo(2);
    assertThat(replaced.at("/steps/loudness/processed").asInt()).isEqualTo(1);

    Path g22 = CliFixture.graph(tmp, "redo", "rate: 22050");
    var stale = cli("status", g22.toString(), "--workdir", work.toString(), "--json").json();
    assertThat(stale.at("/steps/downsample/stale").asInt()).isEqualTo(3);
    assertThat(stale.at("/steps/loudness/done").asInt()).isEqualTo(3);
    var changed = cli("run", g22.toString(), "--input", in.toString(), "--workdir", work.toString(), "--json").json();
    assertThat(changed.at("/steps/downsample/processed").asInt()).isEqualTo(3);
    assertThat(changed.at("/steps/loudness/processed").asInt()).isEqualTo(3);
    try (AudioSource s = AudioDecoders.open(work.resolve("outputs/downsample/t0.wav"))) {
      assertThat(s.sampleRate()).isEqualTo(22050);
    }
  }

  @Test
  void publishingForALeafAfterDeletingAnIntermediateRunsBottomUp() throws Exception {
    Path in = tmp.resolve("in");
    for (int i = 0; i < 3; i++) CliFixture.sine(in.resolve("t" + i + ".wav"), 44100, 1, 300 + 100 * i, -20);
    Path work = tmp.resolve("w");
    Path g = CliFixture.graph(tmp, "up", "rate: 16000");
    assertThat(cli("run", g.toString(), "--input", in.toString(), "--workdir", work.toString()).exit()).isZero();
    Files.delete(work.resolve("outputs/downsample/t1.wav"));
    var r = cli("publish", g.toString(), "--step", "loudness", "--item", "t1", "--workdir", work.toString(), "--json");
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode j = r.json();
    assertThat(j.at("/steps/downsample/processed").asInt()).isEqualTo(1);
    assertThat(j.at("/steps/loudness/processed").asInt()).isEqualTo(1);
    assertThat(j.at("/steps/downsample/skipped").asInt()).isZero();
    assertThat(work.resolve("outputs/downsample/t1.wav")).exists();
  }

  @Test
  void aPingShowsThePathWithoutDoingWork() throws Exception {
    Path in = tmp.resolve("in");
    CliFixture.sine(in.resolve("t0.wav"), 44100, 1, 300, -20);
    Path work = tmp.resolve("w");
    Path g = CliFixture.graph(tmp, "ping", "rate: 16000");
    assertThat(cli("run", g.toString(), "--input", in.toString(), "--workdir", work.toString()).exit()).isZero();
    var r = cli("publish", g.toString(), "--step", "downsample", "--item", "t0", "--ping", "--workdir", work.toString(), "--json");
    assertThat(r.exit()).isZero();
    JsonNode j = r.json();
    assertThat(j.at("/pinged/downsample").asInt()).isEqualTo(1);
    assertThat(j.at("/pinged/loudness").asInt()).isEqualTo(1);
    assertThat(j.at("/steps/downsample/processed").asInt()).isZero();
    assertThat(r.err()).contains("pinged (no work done): {downsample=1, loudness=1}");
  }

  @Test
  void badArgumentsAndBadGraphsExitTwo() throws Exception {
    Path bad = tmp.resolve("bad.yaml");
    Files.writeString(bad, "name: bad\nsteps:\n  a: {uses: downsample, params: {rate: fast}}\n  b: {uses: loudness, from: [c]}\n");
    var v = cli("validate", bad.toString());
    assertThat(v.exit()).isEqualTo(2);
    assertThat(v.err()).contains(bad + ":3:34: step 'a': bad parameter: parameter 'rate' must be an integer, got 'fast'")
        .contains(bad + ":4:30: unknown parent 'c' of step 'b'");
    var run = cli("run", bad.toString(), "--input", tmp.toString());
    assertThat(run.exit()).isEqualTo(2);
    assertThat(cli("run", bad.toString()).exit()).isEqualTo(2);
    assertThat(cli("run", "missing.yaml", "--input", tmp.toString()).exit()).isEqualTo(2);
    Path good = CliFixture.graph(tmp, "good", "rate: 16000");
    var ok = cli("validate", good.toString());
    assertThat(ok.exit()).isZero();
    assertThat(ok.out()).contains("graph 'good' is valid: 2 step(s)");
  }
}
