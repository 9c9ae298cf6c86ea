package io.wavegraph.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.wavegraph.core.envelope.Envelope;
import io.wavegraph.core.port.BlobInfo;
import io.wavegraph.core.port.LedgerRecord;
import io.wavegraph.core.port.LedgerState;
import io.wavegraph.core.port.StepItem;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one freshness judgement: what status reports as stale is exactly what the pipeline redoes. */
class FreshnessTest {
  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
  private static final String IN = "mem://out/downsample/t1.wav";
  private static final BlobInfo INPUT = new BlobInfo("downsample/t1.wav", 10, "7", T0, "sha256:aa");
  private static final BlobInfo OUTPUT = new BlobInfo("loudness/t1.json", 10, "3", T0, "sha256:bb");

  private static LedgerRecord done(String version, Map<String, String> inputs) {
    return new LedgerRecord(new StepItem("loudness", "t1"), LedgerState.DONE, version, inputs, Map.of(), "o", null, 1,
        null, T0, T0.plusSeconds(5), null, 2);
  }

  private static ItemInputs inputs(BlobInfo now) {
    ItemInputs in = new ItemInputs();
    in.byUri.put(IN, new ItemInputs.Located(null, "downsample/t1.wav", now));
    return in;
  }

  private static Map<String, BlobInfo> outputs(BlobInfo json) {
    Map<String, BlobInfo> m = new LinkedHashMap<>();
    m.put("json", json);
    return m;
  }

  @Test
  void namesWhyAResultIsStaleOrNullWhenItStands() {
    Map<String, String> recorded = Map.of(IN, INPUT.fingerprint());
    assertThat(Freshness.staleReason("v1", done("v1", recorded), outputs(OUTPUT), inputs(INPUT))).isNull();
    assertThat(Freshness.staleReason("v1", null, outputs(OUTPUT), inputs(INPUT))).isEqualTo("not done");
    assertThat(Freshness.staleReason("v2", done("v1", recorded), outputs(OUTPUT), inputs(INPUT)))
        .isEqualTo("made by version v1, current is v2");
    assertThat(Freshness.staleReason("v1", done("v1", recorded), outputs(null), inputs(INPUT)))
        .isEqualTo("output 'json' is missing");
    BlobInfo changed = new BlobInfo("downsample/t1.wav", 10, "8", T0, "sha256:cc");
    assertThat(Freshness.staleReason("v1", done("v1", recorded), outputs(OUTPUT), inputs(changed)))
        .isEqualTo("an input changed since");
    assertThat(Freshness.staleReason("v1", done("v1", recorded), outputs(OUTPUT), inputs(null)))
        .isEqualTo("an input changed since");
  }

  @Test
  void aForcedRequestIsAnsweredOnlyByAResultMadeAfterIt() {
    Map<String, String> recorded = Map.of(IN, INPUT.fingerprint());
    LedgerRecord r = done("v1", recorded);
    Envelope plain = Envelope.request("t1", T0.plusSeconds(60));
    assertThat(Freshness.skips("v1", r, outputs(OUTPUT), inputs(INPUT), plain)).isTrue();
    assertThat(Freshness.skips("v1", r, outputs(OUTPUT), inputs(INPUT), plain.withForce(true))).isFalse();
    Envelope earlier = Envelope.request("t1", T0).withForce(true);
    assertThat(Freshness.skips("v1", r, outputs(OUTPUT), inputs(INPUT), earlier)).isTrue();
    assertThat(Freshness.skips("v2", r, outputs(OUTPUT), inputs(INPUT), plain)).isFalse();
  }
}
