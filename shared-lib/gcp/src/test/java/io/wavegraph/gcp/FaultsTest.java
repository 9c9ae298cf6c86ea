package io.wavegraph.gcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyMap;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.google.api.core.ApiFutures;
import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcStatusCode;
import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.ApiExceptionFactory;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.cloud.Timestamp;
import com.google.cloud.firestore.CollectionReference;
import com.google.cloud.firestore.DocumentReference;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.Precondition;
import com.google.cloud.firestore.WriteResult;
import com.google.cloud.pubsub.v1.Publisher;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;
import com.google.pubsub.v1.PubsubMessage;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.wavegraph.core.port.Completion;
import io.wavegraph.core.port.Message;
import io.wavegraph.core.port.PreconditionFailedException;
import io.wavegraph.core.port.StepItem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Faults the emulators cannot make, with Mockito: transient gRPC errors from Pub/Sub and
 * Firestore (retried with a growing backoff, then surfaced as {@link UncheckedIOException}, which
 * the step pipeline answers with a nack), a failed Cloud Storage precondition, and a lease lost
 * between reading the record and completing it.
 */
class FaultsTest {
  private final List<Duration> pauses = new ArrayList<>();
  private final Backoff backoff = new Backoff(4, Duration.ofMillis(100), Duration.ofMillis(300), pauses::add);

  private static ApiException grpc(Status.Code code) {
    return ApiExceptionFactory.createException(new RuntimeException(code.name()), GrpcStatusCode.of(code), true);
  }

  // --- Pub/Sub publish ---

  @Test
  void publishRetriesUnavailableWithBackoffThenSucceeds() {
    Publisher publisher = mock(Publisher.class);
    when(publisher.publish(any(PubsubMessage.class)))
        .thenReturn(ApiFutures.immediateFailedFuture(grpc(Status.Code.UNAVAILABLE)))
        .thenReturn(ApiFutures.immediateFailedFuture(grpc(Status.Code.DEADLINE_EXCEEDED)))
        .thenReturn(ApiFutures.immediateFuture("id-1"));
    try (PubSubBus bus = busWith(publisher)) {
      assertThat(bus.publish("t", new Message(new byte[] {1}, Map.of()))).isEqualTo("id-1");
    }
    verify(publisher, times(3)).publish(any(PubsubMessage.class));
    assertThat(pauses).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
  }

  @Test
  void publishThatStaysUnavailableFailsSoTheMessageIsNacked() {
    Publisher publisher = mock(Publisher.class);
    when(publisher.publish(any(PubsubMessage.class)))
        .thenReturn(ApiFutures.immediateFailedFuture(grpc(Status.Code.UNAVAILABLE)));
    try (PubSubBus bus = busWith(publisher)) {
      assertThatThrownBy(() -> bus.publish("t", new Message(new byte[] {1}, Map.of())))
          .isInstanceOf(UncheckedIOException.class)
          .hasMessageContaining("failed 4 times with UNAVAILABLE");
    }
    assertThat(pauses).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(300));
  }

  @Test
  void publishToAMissingTopicIsNotRetried() {
    Publisher publisher = mock(Publisher.class);
    when(publisher.publish(any(PubsubMessage.class)))
        .thenReturn(ApiFutures.immediateFailedFuture(grpc(Status.Code.NOT_FOUND)));
    try (PubSubBus bus = busWith(publisher)) {
      assertThatThrownBy(() -> bus.publish("t", new Message(new byte[] {1}, Map.of())))
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(pauses).isEmpty();
  }

  private PubSubBus busWith(Publisher publisher) {
    // The admin clients are built on a channel that is never dialled.
    ManagedChannel idle = ManagedChannelBuilder.forTarget("127.0.0.1:1").usePlaintext().build();
    return new PubSubBus("p", FixedTransportChannelProvider.create(GrpcTransportChannel.create(idle)),
        NoCredentialsProvider.create(), idle, topic -> publisher, backoff);
  }

  // --- Firestore ---

  private final Firestore db = mock(Firestore.class);
  private final CollectionReference collection = mock(CollectionReference.class);
  private final DocumentReference doc = mock(DocumentReference.class);
  private final StepItem key = new StepItem("beats", "tracks/t1");

  private FirestoreLedger ledger() {
    when(db.collection(anyString())).thenReturn(collection);
    when(collection.document(anyString())).thenReturn(doc);
    return new FirestoreLedger(db, "ledger", Duration.ofDays(1), backoff, false);
  }

  @Test
  void firestoreReadRetriesTransientErrors() {
    FirestoreLedger ledger = ledger();
    DocumentSnapshot absent = mock(DocumentSnapshot.class);
    when(doc.get())
        .thenReturn(ApiFutures.immediateFailedFuture(grpc(Status.Code.UNAVAILABLE)))
        .thenReturn(ApiFutures.immediateFailedFuture(grpc(Status.Code.DEADLINE_EXCEEDED)))
        .thenReturn(ApiFutures.immediateFuture(absent));

    assertThat(ledger.get(key)).isEmpty();
    assertThat(pauses).hasSize(2);
  }

  @Test
  void firestoreClaimThatStaysUnavailableThrowsAndClaimsNothing() {
    FirestoreLedger ledger = ledger();
    when(doc.create(anyMap())).thenReturn(ApiFutures.immediateFailedFuture(grpc(Status.Code.UNAVAILABLE)));

    assertThatThrownBy(() -> ledger.claim(key, null, "w1", Instant.EPOCH, Duration.ofMinutes(1)))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("claim beats/tracks/t1");
    verify(doc, times(4)).create(anyMap());
  }

  @Test
  void leaseLostBeforeCompletionMakesCompleteReturnFalseAndWritesNothing() {
    FirestoreLedger ledger = ledger();
    DocumentSnapshot takenOver = claimedBy("w2");
    when(doc.get()).thenReturn(ApiFutures.immediateFuture(takenOver));

    assertThat(ledger.complete(key, "w1", new Completion("v1", Map.of(), Map.of(), Instant.EPOCH))).isFalse();
    verify(doc, never()).update(anyMap(), any(Precondition.class));
  }

  @Test
  void leaseLostBetweenReadAndWriteIsSeenOnReRead() {
    FirestoreLedger ledger = ledger();
    DocumentSnapshot mine = claimedBy("w1");
    DocumentSnapshot takenOver = claimedBy("w2");
    when(doc.get()).thenReturn(ApiFutures.immediateFuture(mine)).thenReturn(ApiFutures.immediateFuture(takenOver));
    when(doc.update(anyMap(), any(Precondition.class)))
        .thenReturn(ApiFutures.<WriteResult>immediateFailedFuture(grpc(Status.Code.FAILED_PRECONDITION)));

    assertThat(ledger.complete(key, "w1", new Completion("v1", Map.of(), Map.of(), Instant.EPOCH))).isFalse();
    verify(doc, times(1)).update(anyMap(), any(Precondition.class));
    assertThat(pauses).as("a lost compare-and-set is not a transient error").isEmpty();
  }

  private static DocumentSnapshot claimedBy(String owner) {
    DocumentSnapshot s = mock(DocumentSnapshot.class);
    when(s.exists()).thenReturn(true);
    when(s.getString("state")).thenReturn("claimed");
    when(s.getString("owner")).thenReturn(owner);
    when(s.getLong("revision")).thenReturn(owner.equals("w1") ? 1L : 2L);
    when(s.getLong("attempts")).thenReturn(1L);
    when(s.getTimestamp("leaseUntil")).thenReturn(Timestamp.ofTimeSecondsAndNanos(60, 0));
    when(s.getUpdateTime()).thenReturn(Timestamp.ofTimeSecondsAndNanos(owner.equals("w1") ? 1 : 2, 0));
    return s;
  }

  // --- Cloud Storage ---

  @Test
  void failedStoragePreconditionNamesTheCurrentGeneration() {
    Storage storage = mock(Storage.class);
    when(storage.create(any(BlobInfo.class), any(byte[].class), any(Storage.BlobTargetOption[].class)))
        .thenThrow(new StorageException(412, "conditionNotMet"));
    Blob current = mock(Blob.class);
    when(current.getGeneration()).thenReturn(1234L);
    when(current.getName()).thenReturn("k");
    when(current.getSize()).thenReturn(1L);
    when(current.getUpdateTime()).thenReturn(0L);
    when(storage.get(any(BlobId.class))).thenReturn(current);
    GcsBlobStore store = new GcsBlobStore(storage, "b");

    assertThatThrownBy(() -> store.put("k", new byte[] {1}, io.wavegraph.core.port.Precondition.absent()))
        .isInstanceOf(PreconditionFailedException.class)
        .hasMessageContaining("1234");
  }

  @Test
  void otherStorageErrorsAreIoErrorsNotPreconditionFailures() {
    Storage storage = mock(Storage.class);
    when(storage.create(any(BlobInfo.class), any(byte[].class), any(Storage.BlobTargetOption[].class)))
        .thenThrow(new StorageException(503, "backend unavailable"));
    GcsBlobStore store = new GcsBlobStore(storage, "b");

    assertThatThrownBy(() -> store.put("k", new byte[] {1}, io.wavegraph.core.port.Precondition.none()))
        .isInstanceOf(IOException.class)
        .isNotInstanceOf(PreconditionFailedException.class)
        .hasMessageContaining("gs://b/k");
  }
}
