package io.wavegraph.functions;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import io.wavegraph.core.port.Ack;
import io.wavegraph.core.port.Delivery;
import io.wavegraph.core.port.MessageHandler;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Checked-in push bodies (camelCase and snake_case) through {@link StepFunction}. */
class StepFunctionTest {
  private final List<Delivery> seen = new ArrayList<>();
  private final List<String> poisoned = new ArrayList<>();

  private static final class Fn extends StepFunction {
    Fn(MessageHandler h, List<String> poisoned) {
      super(h, (body, reason) -> poisoned.add(reason));
    }
  }

  /** The HTTP status {@code fn} answers to a push request with {@code body}. */
  static int call(StepFunction fn, byte[] body) throws Exception {
    HttpRequest req = mock(HttpRequest.class);
    when(req.getInputStream()).thenReturn(new ByteArrayInputStream(body));
    HttpResponse res = mock(HttpResponse.class);
    int[] status = {-1};
    org.mockito.Mockito.doAnswer(a -> status[0] = a.getArgument(0)).when(res).setStatusCode(org.mockito.ArgumentMatchers.anyInt());
    fn.service(req, res);
    return status[0];
  }

  private static void call(StepFunction fn, HttpRequest req, HttpResponse res) throws Exception {
    fn.service(req, res);
  }

  private int call(MessageHandler h, byte[] body) throws Exception {
    HttpRequest req = mock(HttpRequest.class);
    when(req.getInputStream()).thenReturn(new ByteArrayInputStream(body));
    HttpResponse res = mock(HttpResponse.class);
    int[] status = {-1};
    org.mockito.Mockito.doAnswer(a -> status[0] = a.getArgument(0)).when(res).setStatusCode(org.mockito.ArgumentMatchers.anyInt());
    call(new Fn(h, poisoned), req, res);
    verify(res).setStatusCode(status[0]);
    return status[0];
  }

  private static byte[] fixture(String name) throws IOException {
    try (InputStream in = StepFunctionTest.class.getResourceAsStream("/push/" + name)) {
      return in.readAllBytes();
    }
  }

  private MessageHandler recording(Ack ack) {
    return d -> {
      seen.add(d);
      return ack;
    };
  }

  @Test
  void camelCasePushIsDeliveredAndAcked() throws Exception {
    assertThat(call(recording(Ack.ACK), fixture("camel.json"))).isEqualTo(204);

    Delivery d = seen.get(0);
    assertThat(d.messageId()).isEqualTo("2070443601311540");
    assertThat(d.attempt()).isEqualTo(3);
    assertThat(new String(d.message().data(), UTF_8)).isEqualTo("{\"item\":\"tracks/ab12\",\"v\":1}");
    assertThat(d.message().attributes()).isEqualTo(Map.of("item", "tracks/ab12", "step", "loudness"));
    assertThat(d.publishTime()).isEqualTo(Instant.parse("2021-02-26T19:13:55.749Z"));
  }

  @Test
  void snakeCasePushWithoutAttemptCountsAsFirst() throws Exception {
    assertThat(call(recording(Ack.ACK), fixture("snake.json"))).isEqualTo(204);
    assertThat(seen.get(0).messageId()).isEqualTo("2070443601311541");
    assertThat(seen.get(0).attempt()).isEqualTo(1);
  }

  @Test
  void storageNotificationAtARootRequestsTheItemUnderTheInputPrefix() throws Exception {
    StepFunction root = new StepFunction(recording(Ack.ACK), (b, r) -> poisoned.add(r),
        new InputObjects("my-raw-audio", "uploads/", true));
    assertThat(call(root, fixture("storage-notification.json"))).isEqualTo(204);
    io.wavegraph.core.envelope.Envelope env =
        io.wavegraph.core.envelope.EnvelopeCodec.decode(seen.get(0).message().data(), Instant.now());
    assertThat(env.item()).isEqualTo("tracks/cd34");
    assertThat(seen.get(0).messageId()).isEqualTo("8211462953117777");

    StepFunction elsewhere = new StepFunction(recording(Ack.ACK), (b, r) -> poisoned.add(r),
        new InputObjects("my-raw-audio", "other/", true));
    assertThat(call(elsewhere, fixture("storage-notification.json"))).isEqualTo(204);
    assertThat(seen).hasSize(1);
    assertThat(poisoned).isEmpty();
  }

  @Test
  void nackAndThrowAnswer500SoPubSubRetries() throws Exception {
    assertThat(call(recording(Ack.NACK), fixture("camel.json"))).isEqualTo(500);
    assertThat(call(d -> {
      throw new IllegalStateException("ledger down");
    }, fixture("camel.json"))).isEqualTo(500);
  }

  @Test
  void poisonIsAckedAndReportedNeverHandled() throws Exception {
    assertThat(call(recording(Ack.ACK), "not json".getBytes(UTF_8))).isEqualTo(200);
    assertThat(call(recording(Ack.ACK), "{\"subscription\":\"x\"}".getBytes(UTF_8))).isEqualTo(200);
    assertThat(call(recording(Ack.ACK), "{\"message\":{\"messageId\":\"1\",\"data\":\"%%%\"}}".getBytes(UTF_8)))
        .isEqualTo(200);
    assertThat(seen).isEmpty();
    assertThat(poisoned).hasSize(3).allMatch(r -> !r.isBlank());
  }
}
