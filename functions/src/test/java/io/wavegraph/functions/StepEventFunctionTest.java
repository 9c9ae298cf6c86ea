package io.wavegraph.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wavegraph.core.envelope.Envelope;
import io.wavegraph.core.envelope.EnvelopeCodec;
import io.wavegraph.core.port.Ack;
import io.wavegraph.core.port.Delivery;
import io.wavegraph.core.port.MessageHandler;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Checked-in CloudEvents (storage finalize, Pub/Sub published) through {@link StepEventFunction}. */
class StepEventFunctionTest {
  private final List<Delivery> seen = new ArrayList<>();
  private final List<String> poisoned = new ArrayList<>();

  private StepEventFunction fn(Ack ack, boolean root) {
    MessageHandler h = d -> {
      seen.add(d);
      return ack;
    };
    return new StepEventFunction(h, (body, reason) -> poisoned.add(reason), "my-raw-audio", "uploads/", root) {};
  }

  @Test
  void finalizedInputUnderThePrefixRequestsItsItem() throws Exception {
    fn(Ack.ACK, true).accept(JsonCloudEvent.fixture("storage-finalized.json"));

    Envelope env = EnvelopeCodec.decode(seen.get(0).message().data(), Instant.now());
    assertThat(env.item()).isEqualTo("tracks/ab12");
    assertThat(env.force()).isFalse();
    assertThat(env.recipients().isAll()).isTrue();
    assertThat(seen.get(0).messageId()).isEqualTo("8211462953117634");
    assertThat(poisoned).isEmpty();
  }

  @Test
  void objectsOutsideThePrefixOrBucketOrAtANonRootAreIgnored() throws Exception {
    JsonCloudEvent e = JsonCloudEvent.fixture("storage-finalized.json");
    fn(Ack.ACK, true).accept(e.withData("name", "elsewhere/tracks/ab12.flac"));
    fn(Ack.ACK, true).accept(e.withData("bucket", "other-bucket"));
    fn(Ack.ACK, true).accept(e.withData("name", "uploads/tracks/"));
    fn(Ack.ACK, false).accept(e);
    assertThat(seen).isEmpty();
    assertThat(poisoned).isEmpty();
  }

  @Test
  void badItemNameOrUnknownTypeIsPoisonNotRetried() throws Exception {
    JsonCloudEvent e = JsonCloudEvent.fixture("storage-finalized.json");
    fn(Ack.ACK, true).accept(e.withData("name", "uploads/a//b.wav"));
    fn(Ack.ACK, true).accept(JsonCloudEvent.fixture("pubsub-published.json").withData("message", "x"));
    assertThat(seen).isEmpty();
    assertThat(poisoned).hasSize(2).allMatch(r -> !r.isBlank());
  }

  @Test
  void pubSubPublishedEventIsThePushMessage() throws Exception {
    fn(Ack.ACK, false).accept(JsonCloudEvent.fixture("pubsub-published.json"));
    assertThat(seen.get(0).messageId()).isEqualTo("2070443601311542");
    assertThat(seen.get(0).message().attributes()).containsEntry("item", "tracks/ab12");
  }

  @Test
  void nackOrFailureThrowsSoEventarcRetries() throws Exception {
    JsonCloudEvent e = JsonCloudEvent.fixture("storage-finalized.json");
    assertThatThrownBy(() -> fn(Ack.NACK, true).accept(e)).isInstanceOf(StepEventFunction.RetryException.class);
    StepEventFunction failing = new StepEventFunction(d -> {
      throw new IllegalStateException("ledger down");
    }, (b, r) -> poisoned.add(r), "my-raw-audio", "uploads/", true) {};
    assertThatThrownBy(() -> failing.accept(e)).hasRootCauseMessage("ledger down");
  }
}
