package io.wavegraph.cli;

import static io.wavegraph.cli.CliFixture.cli;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wavegraph.core.port.LedgerRecord;
import io.wavegraph.core.port.LedgerState;
import io.wavegraph.local.SqliteLedger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run killed with SIGKILL in the middle of 100 items: the re-run finishes everything, and no
 * (step, item) that was recorded done is run again.
 */
class CrashResumeTest {
  @TempDir Path tmp;

  @Test
  void aKilledRunIsFinishedByTheNextWithoutRepeatingDoneWork() throws Exception {
    Path in = tmp.resolve("in");
    for (int i = 0; i < 100; i++) {
      CliFixture.sine(in.resolve(String.format("t%03d.wav", i)), 44100, 3, 200 + 7 * i, -18);
    }
    Path graph = CliFixture.graph(tmp, "crash", "rate: 16000");
    Path work = tmp.resolve("w");
    Process p = new ProcessBuilder(javaBin(), "-cp", System.getProperty("java.class.path"),
        "io.wavegraph.cli.Main", "run", graph.toString(), "--input", in.toString(),
        "--workdir", work.toString(), "--threads", "1")
        .redirectErrorStream(true).redirectOutput(tmp.resolve("killed.log").toFile()).start();

    Path db = work.resolve("ledger.db");
    Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
    while (doneCount(db) < 20) {
      assertThat(p.isAlive()).as("the run ended before it could be killed: " + log()).isTrue();
      assertThat(Instant.now()).as("no progress within 120 s").isBefore(deadline);
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
    }
    p.destroyForcibly(); // SIGKILL: no shutdown hooks, no cleanup
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();

    Map<String, Long> doneBefore = doneRevisions(db);
    assertThat(doneBefore).hasSizeGreaterThanOrEqualTo(20).hasSizeLessThan(200);

    var rerun = cli("run", graph.toString(), "--input", in.toString(), "--workdir", work.toString(), "--json");
    assertThat(rerun.exit()).as(rerun.err()).isZero();
    JsonNode j = rerun.json();
    int processed = j.at("/steps/downsample/processed").asInt() + j.at("/steps/loudness/processed").asInt();
    assertThat(processed).isEqualTo(200 - doneBefore.size());

    Map<String, Long> doneAfter = doneRevisions(db);
    assertThat(doneAfter).hasSize(200);
    // Same revision: never claimed again, so never run again.
    doneBefore.forEach((key, revision) -> assertThat(doneAfter.get(key)).as(key).isEqualTo(revision));
  }

  private String log() throws Exception {
    return Files.readString(tmp.resolve("killed.log"));
  }

  private static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static int doneCount(Path db) {
    if (!Files.exists(db)) return 0;
    try {
      return doneRevisions(db).size();
    } catch (RuntimeException e) {
      return 0; // the schema may not be there yet
    }
  }

  private static Map<String, Long> doneRevisions(Path db) {
    Map<String, Long> out = new HashMap<>();
    try (SqliteLedger ledger = SqliteLedger.open(db)) {
      for (String step : List.of("downsample", "loudness")) {
        for (LedgerRecord r : ledger.records(step)) {
          if (r.state() == LedgerState.DONE) out.put(step + "/" + r.key().item(), r.revision());
        }
      }
    }
    return out;
  }
}
