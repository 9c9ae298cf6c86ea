package io.wavegraph.cli;

import static io.wavegraph.cli.CliFixture.cli;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EstimateCommandTest {
  @TempDir Path dir;

  private static final String GRAPH = """
      name: est
      storage: {input: gs://est-in, output: gs://est-out}
      steps:
        downsample: {uses: downsample, params: {rate: 16000, channels: 1}}
        loudness: {uses: loudness, from: [downsample]}
        separate: {uses: separate, from: [downsample], kind: job, gpu: nvidia-l4, params: {kernels: gpu}, batch: {size: 10, wait: 5m}}
      """;

  private static final String PROFILE = """
      {"steps": {
        "downsample": {"seconds_per_audio_minute": 0.5, "output_bytes_per_audio_minute": 1920000},
        "loudness": {"seconds_per_audio_minute": 0.2, "output_bytes_per_audio_minute": 500},
        "separate": {"seconds_per_audio_minute": 3.0, "output_bytes_per_audio_minute": 10000000}}}
      """;

  private JsonNode estimate() throws Exception {
    Path graph = Files.writeString(dir.resolve("est.yaml"), GRAPH);
    Path profile = Files.writeString(dir.resolve("profile.json"), PROFILE);
    CliFixture.Result r = cli("estimate", graph.toString(), "--tracks", "1000000", "--minutes", "4",
        "--max-instances", "100", "--profile", profile.toString(), "--json");
    assertThat(r.exit()).as(r.err()).isZero();
    return r.json();
  }

  @Test
  void pricesAFixedProfileAsComputedByHand() throws Exception {
    JsonNode r = estimate();
    assertThat(r.get("tracks").asLong()).isEqualTo(1_000_000);

    // downsample, a root function (1 vCPU, 1 GiB, one request at a time): 0.5 s/min x 4 min = 2 s
    // per track; 2e6 vCPU-s x $0.000024 + 2e6 GiB-s x $0.0000025 = $53.
    JsonNode d = r.get("steps").get("downsample");
    assertThat(d.get("cpu_seconds_per_track").asDouble()).isEqualTo(2.0);
    assertThat(d.get("vcpu_seconds").asDouble()).isEqualTo(2_000_000);
    assertThat(d.get("cost_usd").get("compute").asDouble()).isEqualTo(53.00);
    assertThat(d.get("cost_usd").get("requests").asDouble()).isEqualTo(0.40);
    // publish + push of 1000 bytes each, twice for a root (the storage notification too):
    // 4e9 B / 2^40 x $40 = $0.1455.
    assertThat(d.get("cost_usd").get("pubsub").asDouble()).isEqualTo(0.15);
    // one read and two writes per track: 1e6 x ($0.0000003 + 2 x $0.0000009).
    assertThat(d.get("cost_usd").get("firestore").asDouble()).isEqualTo(2.10);
    // 1 write ($5) + 3 reads ($1.2) + 7,680 GB kept a month ($153.6).
    assertThat(d.get("cost_usd").get("storage").asDouble()).isEqualTo(159.80);
    assertThat(d.get("wall_hours").asDouble()).isCloseTo(5.5556, within(1e-4));

    // loudness: 0.8 s per track: 0.8e6 x $0.0000265 = $21.20; its JSON is kept too (2 GB).
    JsonNode l = r.get("steps").get("loudness");
    assertThat(l.get("cost_usd").get("compute").asDouble()).isEqualTo(21.20);
    assertThat(l.get("cost_usd").get("storage").asDouble()).isEqualTo(6.24);
    assertThat(l.get("cost_usd").get("total").asDouble()).isEqualTo(30.01);

    // separate, a GPU job: 12 s per track = 1.2e7 s of an L4 ($2,244) with 4 vCPU and 16 GiB
    // ($1,248); 100,000 batches of 10 at 15 workflow steps ($15); four stems written (A: $20).
    JsonNode s = r.get("steps").get("separate");
    assertThat(s.get("gpu_seconds").asDouble()).isEqualTo(12_000_000);
    assertThat(s.get("cost_usd").get("gpu").asDouble()).isEqualTo(3492.00);
    assertThat(s.get("cost_usd").get("compute").asDouble()).isZero();
    assertThat(s.get("cost_usd").get("requests").asDouble()).isEqualTo(15.00);
    assertThat(s.get("cost_usd").get("storage").asDouble()).isEqualTo(821.20);
    assertThat(s.get("wall_hours").asDouble()).isCloseTo(33.3333, within(1e-4));

    JsonNode c = r.get("cost_usd");
    assertThat(c.get("compute").asDouble()).isEqualTo(74.20);
    assertThat(c.get("gpu").asDouble()).isEqualTo(3492.00);
    assertThat(c.get("requests").asDouble()).isEqualTo(15.80);
    assertThat(c.get("pubsub").asDouble()).isEqualTo(0.29);
    assertThat(c.get("firestore").asDouble()).isEqualTo(6.30);
    assertThat(c.get("storage").asDouble()).isEqualTo(987.24);
    assertThat(c.get("total").asDouble()).isEqualTo(4575.83);
    // The slowest step sets the wall time: steps overlap.
    assertThat(r.get("wall_hours").asDouble()).isCloseTo(33.3333, within(1e-4));
  }

  @Test
  void moreInstancesShortenTheWallTimeAndCostTheSame() throws Exception {
    Path graph = Files.writeString(dir.resolve("est.yaml"), GRAPH);
    Path profile = Files.writeString(dir.resolve("profile.json"), PROFILE);
    JsonNode few = cli("estimate", graph.toString(), "--tracks", "10000000", "--minutes", "3.5", "--max-instances", "10",
        "--profile", profile.toString(), "--json").json();
    JsonNode many = cli("estimate", graph.toString(), "--tracks", "10000000", "--minutes", "3.5", "--max-instances", "1000",
        "--profile", profile.toString(), "--json").json();
    assertThat(many.get("wall_hours").asDouble()).isCloseTo(few.get("wall_hours").asDouble() / 100, within(1e-3));
    assertThat(many.get("cost_usd")).isEqualTo(few.get("cost_usd"));
  }

  @Test
  void aProfileMissingAStepIsNamed() throws Exception {
    Path graph = Files.writeString(dir.resolve("est.yaml"), GRAPH);
    Path profile = Files.writeString(dir.resolve("profile.json"), "{\"steps\": {\"downsample\": {\"seconds_per_audio_minute\": 1}}}");
    CliFixture.Result r = cli("estimate", graph.toString(), "--tracks", "10", "--minutes", "1", "--profile", profile.toString());
    assertThat(r.exit()).isEqualTo(Main.BAD_INPUT);
    assertThat(r.err()).contains("steps.loudness.seconds_per_audio_minute");
  }

  @Test
  void measuresASampleAndPrintsATable() throws Exception {
    Path graph = Files.writeString(dir.resolve("est.yaml"), GRAPH.replace("  separate:", "  # separate:"));
    Path audio = Files.createDirectories(dir.resolve("audio"));
    CliFixture.sine(audio.resolve("a.wav"), 44100, 3.0, 440, -6);
    Path saved = dir.resolve("saved.json");
    CliFixture.Result r = cli("estimate", graph.toString(), "--tracks", "100000000", "--minutes", "3.5",
        "--save-profile", saved.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("100,000,000 tracks of 3.5 min").contains("downsample").contains("loudness").contains("wall time");
    JsonNode p = CliFixture.JSON.readTree(saved.toFile());
    assertThat(p.get("steps").get("downsample").get("seconds_per_audio_minute").asDouble()).isPositive();
    // 16 kHz mono 16-bit: 1.92 MB per minute of audio, plus a WAV header.
    assertThat(p.get("steps").get("downsample").get("output_bytes_per_audio_minute").asDouble()).isBetween(1.92e6, 1.93e6);
  }
}
