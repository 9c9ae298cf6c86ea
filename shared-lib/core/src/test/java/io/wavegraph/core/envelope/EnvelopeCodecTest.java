package io.wavegraph.core.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wavegraph.core.port.Message;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EnvelopeCodecTest {
  private static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");

  @Test
  void roundTripKeepsEveryField() throws Exception {
    Envelope e = new Envelope("tracks/ab12", true, false, Direction.UP, Recipients.only(List.of("a", "b")),
        List.of("b"), List.of("x"), new Trace("t-1", 2, NOW));
    Message m = EnvelopeCodec.encode(e);
    assertThat(EnvelopeCodec.decode(m.data(), NOW.plusSeconds(5))).isEqualTo(e);
  }

  @Test
  void routingFieldsAreMirroredIntoAttributes() {
    Envelope e = Envelope.request("t1", NOW).withForce(true).withRecipients(Recipients.only(List.of("beats")));
    Message m = EnvelopeCodec.encode(e);
    assertThat(m.attributes())
        .containsEntry("item", "t1")
        .containsEntry("direction", "down")
        .containsEntry("recipients", "beats")
        .containsEntry("force", "true")
        .containsEntry("ping", "false")
        .containsEntry("v", "1");
  }

  @Test
  void allRecipientsIsAStar() throws Exception {
    Message m = EnvelopeCodec.encode(Envelope.request("t1", NOW));
    assertThat(new String(m.data(), StandardCharsets.UTF_8)).contains("\"recipients\":\"*\"");
    assertThat(EnvelopeCodec.decode(m.data(), NOW).recipients().isAll()).isTrue();
  }

  @Test
  void aStorageObjectNotificationBecomesARequestForItsItem() throws Exception {
    String gcs = "{\"kind\":\"storage#object\",\"bucket\":\"raw\",\"name\":\"tracks/ab12.flac\",\"generation\":\"1700\"}";
    Envelope e = EnvelopeCodec.decode(gcs.getBytes(StandardCharsets.UTF_8), NOW);
    assertThat(e.item()).isEqualTo("tracks/ab12");
    assertThat(e.direction()).isEqualTo(Direction.DOWN);
    assertThat(e.recipients().isAll()).isTrue();
    assertThat(e.trace().created()).isEqualTo(NOW);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "not json at all|not JSON",
    "[1,2]|not a JSON object",
    "{\"force\":true}|field 'item' is missing",
    "{\"item\":\"../etc/passwd\"}|'..' segment",
    "{\"item\":\"/abs\"}|starts with '/'",
    "{\"item\":\"a\",\"direction\":\"sideways\"}|'direction' must be 'down' or 'up'",
    "{\"item\":\"a\",\"v\":99}|unsupported envelope version 99",
    "{\"item\":\"a\",\"recipients\":5}|'recipients' must be",
    "{\"item\":\"a\",\"force\":\"yes\"}|'force' must be true or false",
    "{\"item\":\"a\",\"surprise\":1}|unknown field 'surprise'",
    "{\"item\":\"a\",\"trace\":{\"id\":\"x\",\"created\":\"yesterday\"}}|trace.created",
  })
  void invalidEnvelopesSayWhatIsWrong(String json, String expected) {
    assertThatThrownBy(() -> EnvelopeCodec.decode(json.getBytes(StandardCharsets.UTF_8), NOW))
        .isInstanceOf(InvalidEnvelopeException.class)
        .hasMessageContaining(expected);
  }

  @Test
  void controlCharactersAndLongIdsAreRefused() {
    assertThatThrownBy(() -> ItemIds.check("a\u0000b")).hasMessageContaining("control character")
        .hasMessageContaining("a\\u0000b");
    assertThatThrownBy(() -> ItemIds.check("x".repeat(513))).hasMessageContaining("512 bytes");
    assertThatThrownBy(() -> ItemIds.check("a//b")).hasMessageContaining("empty path segment");
  }

  @Test
  void itemIdsDropTheExtensionOfTheLastSegmentOnly() throws Exception {
    assertThat(ItemIds.fromObjectName("tracks/ab12.flac")).isEqualTo("tracks/ab12");
    assertThat(ItemIds.fromObjectName("a.b/c")).isEqualTo("a.b/c");
    assertThat(ItemIds.fromObjectName("t.tar.gz")).isEqualTo("t.tar");
    assertThat(ItemIds.fromObjectName("dir/.hidden")).isEqualTo("dir/.hidden");
  }
}
