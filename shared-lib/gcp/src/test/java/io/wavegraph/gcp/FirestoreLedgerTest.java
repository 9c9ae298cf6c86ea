package io.wavegraph.gcp;

import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.FirestoreOptions;
import io.wavegraph.core.port.Ledger;
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
}
