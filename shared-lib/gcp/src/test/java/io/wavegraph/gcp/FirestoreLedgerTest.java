package io.wavegraph.gcp;

import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.FirestoreOptions;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.firestore.DocumentSnapshot;
import io.wavegraph.core.port.Completion;
import io.wavegraph.core.port.Ledger;
import io.wavegraph.core.port.StepItem;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import io.wavegraph.testkit.LedgerContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The ledger contract on the Firestore emulator; racing claimers use two separate clients. */
class FirestoreLedgerTest extends LedgerContract {
  private static EmulatorFixture emulator;

  @BeforeAll
  static void startEmulator() {
    emulator = EmulatorFixture.startOrSkip(Emulator.Kind.FIRESTORE, FirestoreLedgerTest.class);
  }

  @AfterAll
  static void stopEmulator() {
    if (emulator != null) emulator.close();
  }

  static Firestore client(String host) {
    return FirestoreOptions.newBuilder().setProjectId("wavegraph-test").setEmulatorHost(host).build().getService();
  }

  @Override
  protected Ledger newLedger() {
    return new FirestoreLedger(client(emulator.host()));
  }

  @Override
  protected Ledger peerOf(Ledger ledger) {
    return newLedger();
  }

  /**
   * The contract with the generated workflows (docs/function-config.md): they compute this id with
   * the Workflows standard library and compare the lower-case {@code state}. The same vector is
   * asserted against the emitted workflow in the compiler's interpreter test.
   */
  @Test
  void documentIdAndStateAreWhatTheWorkflowsRead() throws Exception {
    StepItem key = new StepItem("loudness", "tracks/ab12");
    assertThat(FirestoreLedger.documentId(key)).isEqualTo("TXQDcbiOYfzEC4Vem6p1RyOYw7XiRcV11b_avMVyGjs=");
    Firestore db = client(emulator.host());
    String collection = "contract-" + System.nanoTime();
    try (Ledger ledger = new FirestoreLedger(db, collection, FirestoreLedger.RETENTION,
        Backoff.defaults(), false)) {
      Instant now = Instant.now();
      assertThat(ledger.claim(key, null, "w1", now, Duration.ofMinutes(1))).isPresent();
      DocumentSnapshot raw = db.collection(collection).document("TXQDcbiOYfzEC4Vem6p1RyOYw7XiRcV11b_avMVyGjs=").get().get();
      assertThat(raw.getString("state")).isEqualTo("claimed");
      assertThat(ledger.complete(key, "w1", new Completion("1", Map.of(), Map.of(), now))).isTrue();
      raw = db.collection(collection).document("TXQDcbiOYfzEC4Vem6p1RyOYw7XiRcV11b_avMVyGjs=").get().get();
      assertThat(raw.getString("state")).isEqualTo("done");
      assertThat(raw.getUpdateTime()).isNotNull();
    } finally {
      db.close();
    }
  }
}
