package io.wavegraph.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.wavegraph.core.port.Ledger;
import io.wavegraph.core.port.LedgerRecord;
import io.wavegraph.core.port.LedgerState;
import io.wavegraph.core.port.StepItem;
import io.wavegraph.testkit.LedgerContract;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteLedgerTest extends LedgerContract {
  @TempDir Path dir;

  private Path file() {
    return dir.resolve("work/ledger.db");
  }

  @Override
  protected Ledger newLedger() {
    return SqliteLedger.open(file());
  }

  /** Racing claimers each get their own connection, as two processes would. */
  @Override
  protected Ledger peerOf(Ledger ledger) {
    return SqliteLedger.open(file());
  }

  @Test
  void getAllReadsMoreItemsThanOneQueryTakes() {
    java.util.List<String> items = new java.util.ArrayList<>();
    for (int i = 0; i <= 1000; i++) {
      items.add("t" + i);
      if (i % 50 == 0 || i == 499 || i == 501) ledger.claim(key("t" + i), null, "w1", T0, LEASE).orElseThrow();
    }

    var all = ledger.getAll(key("t0").step(), items);

    assertThat(all).hasSize(23);
    assertThat(all).containsKeys("t0", "t499", "t500", "t501", "t1000").doesNotContainKeys("t1", "t999");
    assertThat(all.get("t1000")).isEqualTo(ledger.get(key("t1000")).orElseThrow());
  }

  @Test
  void reopenedFileHasEverything() {
    StepItem k = key("tracks/t1");
    LedgerRecord held = ledger.claim(k, null, "w1", T0, LEASE).orElseThrow();
    ledger.complete(k, "w1", completion("v1", T0.plusSeconds(1)));
    LedgerRecord done = ledger.get(k).orElseThrow();
    ledger.close();

    ledger = SqliteLedger.open(file());

    assertThat(ledger.get(k)).contains(done);
    assertThat(done.revision()).isEqualTo(held.revision() + 1);
  }

  @Test
  void fileIsInWalMode() throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file());
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("PRAGMA journal_mode")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualToIgnoringCase("wal");
    }
  }

  @Test
  void releaseLeasesEndsTheLiveClaimsOfDeadOwnersOnly() {
    SqliteLedger sqlite = (SqliteLedger) ledger;
    StepItem live = key("live");
    StepItem done = key("done");
    StepItem foreign = key("foreign");
    LedgerRecord held = ledger.claim(live, null, "dead-run", T0, LEASE).orElseThrow();
    ledger.claim(done, null, "dead-run", T0, LEASE).orElseThrow();
    ledger.complete(done, "dead-run", completion("v1", T0));
    LedgerRecord doneBefore = ledger.get(done).orElseThrow();
    LedgerRecord foreignBefore = ledger.claim(foreign, null, "elsewhere", T0, LEASE).orElseThrow();
    Instant restart = T0.plusSeconds(5);

    assertThat(sqlite.releaseLeases(restart, r -> r.owner().startsWith("dead-"))).isEqualTo(1);

    LedgerRecord released = ledger.get(live).orElseThrow();
    assertThat(released.isLiveClaim(restart)).isFalse();
    assertThat(released.leaseUntil()).isEqualTo(restart);
    assertThat(ledger.get(done)).contains(doneBefore);
    assertThat(ledger.get(foreign)).as("an owner not known dead keeps its claim").contains(foreignBefore);
    assertThat(ledger.claim(live, held, "new-run", restart, LEASE)).as("read before the release").isEmpty();
    assertThat(ledger.claim(live, released, "new-run", restart, LEASE)).isPresent();
  }

  @Test
  void countsByStepAndState() {
    SqliteLedger sqlite = (SqliteLedger) ledger;
    StepItem a = new StepItem("a-step", "1");
    ledger.claim(a, null, "w", T0, LEASE);
    ledger.complete(a, "w", completion("v", T0));
    ledger.claim(new StepItem("a-step", "2"), null, "w", T0, LEASE);
    ledger.claim(new StepItem("b-step", "1"), null, "w", T0, LEASE);
    ledger.fail(new StepItem("b-step", "1"), "w", "bad", true, T0);
    ledger.notePing(new StepItem("c-step", "1"), T0);

    assertThat(sqlite.counts()).isEqualTo(Map.of(
        "a-step", Map.of(LedgerState.DONE, 1, LedgerState.CLAIMED, 1),
        "b-step", Map.of(LedgerState.FAILED, 1)));
  }

  @Test
  void manyThreadsOnOneLedger() throws Exception {
    int threads = 8;
    int items = 200;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    AtomicInteger wins = new AtomicInteger();
    try {
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        String owner = "w" + t;
        fs.add(pool.submit(() -> {
          for (int i = 0; i < items; i++) {
            StepItem k = key("item-" + i);
            LedgerRecord read = ledger.get(k).orElse(null);
            if (read != null && read.state() == LedgerState.DONE) continue;
            if (ledger.claim(k, read, owner, T0, LEASE).isPresent()) {
              wins.incrementAndGet();
              assertThat(ledger.complete(k, owner, completion("v1", T0))).isTrue();
            }
          }
          return null;
        }));
      }
      for (var f : fs) f.get(60, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }
    assertThat(wins.get()).isEqualTo(items);
    assertThat(((SqliteLedger) ledger).counts().values().iterator().next()).isEqualTo(Map.of(LedgerState.DONE, items));
  }
}
