package io.wavegraph.cli;

import static io.wavegraph.cli.CliFixture.cli;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wavegraph.gcp.Emulator;
import io.wavegraph.gcp.EmulatorRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import io.wavegraph.testkit.Skips;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --backend emulators} through the CLI on gcloud's Pub/Sub and Firestore emulators: once
 * with emulators named by the environment variables (as a user starts them), once with emulators
 * the run starts and stops itself. Skipped, with a {@code SKIPPED ...} line, without the emulators.
 */
class EmulatorBackendTest {
  static final String[] FILES = {"a.wav", "b.wav", "sub/c.wav"};

  @TempDir Path tmp;
  Path in;
  Path graph;

  @BeforeAll
  static void emulatorsOrSkip() {
    Skips.unless(EmulatorBackendTest.class, EmulatorRuntime.whyUnavailable(Map.of()));
  }

  @BeforeEach
  void audio() throws Exception {
    in = tmp.resolve("in");
    double hz = 440;
    for (String f : FILES) CliFixture.sine(in.resolve(f), 44100, 1.5, hz += 110, -12);
    graph = CliFixture.graph(tmp, "emu", "rate: 16000, channels: 1");
  }

  @AfterEach
  void restoreEnvironmentAndCheckNoEmulatorSurvives() {
    Backend.environment = System.getenv();
    assertThat(emulatorProcesses()).as("emulator processes left running").isEmpty();
  }

  @Test
  void runsOnEmulatorsNamedByTheEnvironmentThenSkipsEverything() throws Exception {
    try (Emulator pubsub = Emulator.start(Emulator.Kind.PUBSUB, "256m", Duration.ofSeconds(90));
        Emulator firestore = Emulator.start(Emulator.Kind.FIRESTORE, "256m", Duration.ofSeconds(90))) {
      Backend.environment = Map.of("PUBSUB_EMULATOR_HOST", pubsub.host(), "FIRESTORE_EMULATOR_HOST", firestore.host(),
          "GOOGLE_CLOUD_PROJECT", "wavegraph-test");
      Path work = tmp.resolve("work");
      List<String> run = List.of("run", graph.toString(), "--input", in.toString(), "--workdir", work.toString(),
          "--backend", "emulators", "--threads", "2", "--json");

      var first = cli(run.toArray(String[]::new));
      assertThat(first.exit()).as(first.err()).isZero();
      JsonNode j = first.json();
      assertThat(j.at("/steps/downsample/processed").asInt()).as(first.err()).isEqualTo(FILES.length);
      assertThat(j.at("/steps/loudness/processed").asInt()).isEqualTo(FILES.length);
      assertThat(j.get("failures")).isEmpty();
      assertThat(first.err()).contains("Pub/Sub at " + pubsub.host()).doesNotContain("started here");
      for (String item : List.of("a", "b", "sub/c")) {
        assertThat(work.resolve("outputs/downsample/" + item + ".wav")).isRegularFile();
        assertThat(work.resolve("outputs/loudness/" + item + ".json")).isRegularFile();
      }

      var second = cli(run.toArray(String[]::new));
      assertThat(second.exit()).as(second.err()).isZero();
      JsonNode k = second.json();
      assertThat(k.at("/steps/downsample/skipped").asInt()).as(second.err()).isEqualTo(FILES.length);
      assertThat(k.at("/steps/loudness/skipped").asInt()).isEqualTo(FILES.length);
      assertThat(k.at("/steps/downsample/processed").asInt()).isZero();
      assertThat(k.at("/steps/loudness/processed").asInt()).isZero();

      var status = cli("status", graph.toString(), "--workdir", work.toString(), "--backend", "emulators", "--json");
      assertThat(status.exit()).as(status.err()).isZero();
      assertThat(status.json().at("/steps/loudness/done").asInt()).as(status.out()).isEqualTo(FILES.length);

      // The report page reads the same ledger, from the Firestore emulator.
      Path page = work.resolve("report.html");
      var report = cli("report", graph.toString(), "--workdir", work.toString(), "--backend", "emulators", "--out", page.toString());
      assertThat(report.exit()).as(report.err()).isZero();
      var data = CliFixture.JSON.readTree(ReportCommandTest.embeddedJson(Files.readString(page)));
      assertThat(data.at("/steps/1/name").asText()).isEqualTo("loudness");
      assertThat(data.at("/steps/1/counts/done").asInt()).isEqualTo(FILES.length);
      assertThat(data.get("items")).hasSize(FILES.length);

      var forced = cli("publish", graph.toString(), "--workdir", work.toString(), "--backend", "emulators",
          "--step", "loudness", "--item", "a", "--force", "--json");
      assertThat(forced.exit()).as(forced.err()).isZero();
      assertThat(forced.json().at("/steps/loudness/processed").asInt()).isEqualTo(1);
    }
  }

  @Test
  void startsAndStopsItsOwnEmulatorsWhenNoneAreNamed() throws Exception {
    Backend.environment = Map.of();
    Path work = tmp.resolve("auto");
    var r = cli("run", graph.toString(), "--input", in.toString(), "--workdir", work.toString(),
        "--backend", "emulators", "--threads", "2", "--json");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.err()).contains("started here");
    assertThat(r.json().at("/steps/loudness/processed").asInt()).as(r.err()).isEqualTo(FILES.length);
    assertThat(work.resolve("outputs/loudness/sub/c.json")).isRegularFile();
    assertThat(emulatorProcesses()).isEmpty();

    var status = cli("status", graph.toString(), "--workdir", work.toString(), "--backend", "emulators");
    assertThat(status.exit()).isEqualTo(Main.BAD_INPUT);
    assertThat(status.err()).contains("FIRESTORE_EMULATOR_HOST");
  }

  static List<String> emulatorProcesses() {
    return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
        .map(h -> h.pid() + " " + h.info().commandLine().orElse("?"))
        .filter(c -> c.contains("emulator")).toList();
  }
}
