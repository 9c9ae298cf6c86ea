package io.wavegraph.cli;

import static io.wavegraph.cli.CliFixture.cli;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wavegraph.core.batch.BatchManifest;
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
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A graph with a batch step ({@code kind: job}) on the embedded runtime: the job runner is killed
 * with SIGKILL in the middle of a batch; the re-run finishes the batch, no item of it is run twice,
 * and the children get every result.
 */
class BatchCrashResumeTest {
  private static final int ITEMS = 24;

  @TempDir Path tmp;

  @Test
  void aBatchKilledMidwayIsFinishedByTheNextRunWithoutRepeatingDoneItems() throws Exception {
    Path in = tmp.resolve("in");
    for (int i = 0; i < ITEMS; i++) {
      CliFixture.sine(in.resolve(String.format("t%03d.wav", i)), 16000, 1, 200 + 7 * i, -18);
    }
    Path graph = tmp.resolve("batch.yaml");
    Files.writeString(graph, """
        name: batch
        steps:
          downsample:
            uses: downsample
            params: {rate: 8000}
          heavy:
            class: io.wavegraph.cli.SlowCopyStep
            params: {ms: 150}
            from: [downsample]
            kind: job
            batch: {size: %d, wait: 10m}
          loudness:
            uses: loudness
            from: [heavy]
        """.formatted(ITEMS));
    Path work = tmp.resolve("w");
    Process p = new ProcessBuilder(javaBin(), "-cp", System.getProperty("java.class.path"),
        "io.wavegraph.cli.Main", "run", graph.toString(), "--input", in.toString(),
        "--workdir", work.toString(), "--threads", "2")
        .redirectErrorStream(true).redirectOutput(tmp.resolve("killed.log").toFile()).start();

    Path db = work.resolve("ledger.db");
    Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
    while (done(db, "heavy").size() < 4) {
      assertThat(p.isAlive()).as("the run ended before it could be killed: " + Files.readString(tmp.resolve("killed.log"))).isTrue();
      assertThat(Instant.now()).as("no progress within 120 s").isBefore(deadline);
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
    }
    p.destroyForcibly();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();

    Map<String, Long> heavyBefore = done(db, "heavy");
    assertThat(heavyBefore).as("killed mid-batch").hasSizeGreaterThanOrEqualTo(4).hasSizeLessThan(ITEMS);
    List<Path> manifests = manifests(work);
    assertThat(manifests).as("one batch of every item, sealed before the job started").hasSize(1);
    BatchManifest m = BatchManifest.parse(Files.readAllBytes(manifests.get(0)), "m", Instant.now());
    assertThat(m.entries()).hasSize(ITEMS);

    // What a user sees before re-running: the batch is unfinished and still holds its items.
    var status = cli("status", graph.toString(), "--workdir", work.toString());
    assertThat(status.out()).contains("batches of heavy: 1 written, 1 unfinished");

    var rerun = cli("run", graph.toString(), "--input", in.toString(), "--workdir", work.toString(), "--json");
    assertThat(rerun.exit()).as(rerun.err()).isZero();
    JsonNode j = rerun.json();
    assertThat(j.at("/steps/heavy/processed").asInt()).isEqualTo(ITEMS - heavyBefore.size());
    assertThat(j.at("/steps/heavy/failed").asInt()).isZero();
    assertThat(j.at("/steps/loudness/failed").asInt()).isZero();

    Map<String, Long> heavyAfter = done(db, "heavy");
    assertThat(heavyAfter).hasSize(ITEMS);
    // Same revision: never claimed again, so never run again.
    heavyBefore.forEach((item, revision) -> assertThat(heavyAfter.get(item)).as(item).isEqualTo(revision));
    // Every result reached the child, the ones made before the kill included.
    assertThat(done(db, "loudness")).hasSize(ITEMS);
    try (SqliteLedger ledger = SqliteLedger.open(db)) {
      for (LedgerRecord r : ledger.records("heavy")) {
        assertThat(r.attempts()).as("claims of %s", r.key().item()).isLessThanOrEqualTo(2);
      }
      // The killed batch was finished (its manifest is marked done); any later batch only took
      // what it could not have run.
      assertThat(ledger.records("heavy#batch")).hasSize(ITEMS).allMatch(r -> r.state() == LedgerState.DONE);
    }
    assertThat(work.resolve("outputs/_wavegraph/manifests/heavy/" + m.batch() + ".done")).exists();

    // A third run has nothing to do and makes no batch.
    int afterRerun = manifests(work).size();
    var third = cli("run", graph.toString(), "--input", in.toString(), "--workdir", work.toString(), "--json");
    assertThat(third.json().at("/steps/heavy/skipped").asInt()).isEqualTo(ITEMS);
    assertThat(manifests(work)).hasSize(afterRerun);
  }

  private static List<Path> manifests(Path work) throws Exception {
    Path dir = work.resolve("outputs/_wavegraph/manifests/heavy");
    if (!Files.isDirectory(dir)) return List.of();
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(f -> f.toString().endsWith(".json")).sorted().toList();
    }
  }

  private static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static Map<String, Long> done(Path db, String step) {
    Map<String, Long> out = new HashMap<>();
    if (!Files.exists(db)) return out;
    try (SqliteLedger ledger = SqliteLedger.open(db)) {
      for (LedgerRecord r : ledger.records(step)) {
        if (r.state() == LedgerState.DONE) out.put(r.key().item(), r.revision());
      }
    } catch (RuntimeException e) {
      // the schema may not be there yet
    }
    return out;
  }
}
