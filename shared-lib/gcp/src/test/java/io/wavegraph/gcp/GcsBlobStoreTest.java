package io.wavegraph.gcp;

import com.google.cloud.NoCredentials;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import io.wavegraph.core.port.BlobStore;
import io.wavegraph.testkit.BlobStoreContract;
import io.wavegraph.testkit.FakeGcsServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * The blob store contract on {@link FakeGcsServer} (Cloud Storage has no emulator), through the
 * real Storage client; list pages hold 3 objects so listing paginates. With {@code
 * -Dwavegraph.gcs.log=true} it prints every request the client sent.
 */
class GcsBlobStoreTest extends BlobStoreContract {
  private static FakeGcsServer server;
  private Storage storage;

  @BeforeAll
  static void startFake() {
    server = FakeGcsServer.start(3);
  }

  @AfterAll
  static void stopFake() {
    if (Boolean.getBoolean("wavegraph.gcs.log")) server.requests().forEach(System.out::println);
    server.close();
  }

  static Storage client(FakeGcsServer server) {
    return StorageOptions.newBuilder()
        .setHost(server.endpoint())
        .setProjectId("wavegraph-test")
        .setCredentials(NoCredentials.getInstance())
        .build()
        .getService();
  }

  @Override
  protected BlobStore newStore() {
    storage = client(server);
    return new GcsBlobStore(storage, "bucket-" + java.util.UUID.randomUUID().toString().substring(0, 8));
  }

  @AfterEach
  void closeClient() throws Exception {
    if (storage != null) storage.close();
  }
}
