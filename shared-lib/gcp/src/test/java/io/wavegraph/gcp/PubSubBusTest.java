package io.wavegraph.gcp;

import io.wavegraph.core.port.MessageBus;
import io.wavegraph.testkit.MessageBusContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The bus contract on the Pub/Sub emulator. */
class PubSubBusTest extends MessageBusContract {
  private static EmulatorFixture emulator;

  @BeforeAll
  static void startEmulator() {
    emulator = EmulatorFixture.startOrSkip(Emulator.Kind.PUBSUB, PubSubBusTest.class);
  }

  @AfterAll
  static void stopEmulator() {
    if (emulator != null) emulator.close();
  }

  @Override
  protected MessageBus newBus() {
    return PubSubBus.forEmulator(emulator.host(), "wavegraph-test");
  }
}
