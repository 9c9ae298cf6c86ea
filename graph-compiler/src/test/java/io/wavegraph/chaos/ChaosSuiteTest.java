package io.wavegraph.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.wavegraph.gcp.EmulatorRuntime;
import io.wavegraph.testkit.Skips;
import io.wavegraph.testkit.TestAudio;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chaos suite, short: the chain graph (bench/chaos/chain.yaml) on six items with three kills,
 * duplicates, Firestore and Cloud Storage faults, one poison message and one item past its
 * timeout ({@link ChaosRun}). No item may be stranded, no step body may run twice, every output
 * must equal the embedded runtime's, and only the poison may be dead-lettered. Pushes go through
 * {@link PushRelay}: the emulator's own push loses some messages pushed while an instance is down,
 * which would make this test fail now and then for the emulator's fault. The long run
 * (200 items, 20 kills, fan-out/join) is {@code bench/chaos.sh}.
 */
class ChaosSuiteTest {
  @TempDir Path tmp;

  @Test
  void aChainSurvivesKillsDuplicatesFaultsPoisonAndATimeout() throws Exception {
    Skips.unless(ChaosSuiteTest.class, EmulatorRuntime.whyUnavailable(Map.of()));
    Path input = Files.createDirectories(tmp.resolve("input/tracks"));
    for (int i = 0; i < 6; i++) Files.write(input.resolve("t" + i + ".wav"), TestAudio.sineWav(330 + 55 * i));
    // The work directory (instance logs, configs, the clean run) stays for a look after a failure.
    Path work = Path.of("target/chaos-short").toAbsolutePath();
    if (Files.exists(work)) try (var s = Files.walk(work)) {
      s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
    ChaosRun.Result r = new ChaosRun(new ChaosRun.Options(Path.of("../bench/chaos/chain.yaml"), tmp.resolve("input"),
        3, 7, Files.createDirectories(work), true, Duration.ofSeconds(100), 6, true)).run();
    System.out.println("CHAOS work directory " + work);
    System.out.println("CHAOS " + r.json());
    r.problems().forEach(p -> System.out.println("CHAOS " + p));
    assertThat(r.problems()).as("what went wrong").filteredOn(p -> !p.startsWith("dead letter")).isEmpty();
    assertThat(r.stranded()).as("stranded step-items").isZero();
    assertThat(r.doubleRuns()).as("step bodies run again after done").isZero();
    assertThat(r.outputsMatch()).as("outputs equal the clean run's").isTrue();
    assertThat(r.deadLetters()).as("dead letters (only the poison)").isEqualTo(1);
    assertThat(r.recoverMedian()).as("some kill took down an instance that held work, and it was taken over").isNotNull();
  }
}
