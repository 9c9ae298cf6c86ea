package io.wavegraph.compiler.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wavegraph.core.envelope.Envelope;
import io.wavegraph.core.envelope.EnvelopeCodec;
import io.wavegraph.core.envelope.Trace;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The requests the workflows publish are the envelopes {@link EnvelopeCodec} writes: the compiled
 * {@code publish} subworkflow, run in {@link WorkflowInterpreter}, against the codec, for every
 * combination of force and ping and for awkward item ids. The data decodes to exactly the request
 * the runtime would make, has exactly the codec's fields, and the attributes are exactly those the
 * codec mirrors.
 */
class EnvelopeWorkflowTest {
  static final Instant START = Instant.parse("2026-03-01T12:00:00Z");
  static final ObjectMapper JSON = new ObjectMapper();

  /** Captures what the workflow publishes. */
  static final class Capture implements Connectors {
    final List<Map<String, Object>> messages = new ArrayList<>();

    @Override
    public boolean has(String name) {
      return name.equals("googleapis.pubsub.v1.projects.topics.publish");
    }

    @Override
    @SuppressWarnings("unchecked")
    public Object call(String name, Map<String, Object> args) {
      for (Object m : (List<Object>) ((Map<String, Object>) args.get("body")).get("messages")) {
        messages.add((Map<String, Object>) m);
      }
      return Map.of("messageIds", List.of("1"));
    }
  }

  @Test
  void publishedRequestsAreTheCodecsRequests() throws Exception {
    String yaml = ItemIdWorkflowTest.backfillWithInputPrefix("");
    VirtualClock clock = VirtualClock.manual(START);
    Capture capture = new Capture();
    WorkflowInterpreter wf = new WorkflowInterpreter(yaml, new StandardLibrary(clock, Map.of(
        "GOOGLE_CLOUD_PROJECT_ID", "p", "GOOGLE_CLOUD_WORKFLOW_EXECUTION_ID", "exec-7")), capture);
    int n = 0;
    for (String item : List.of("t1", "tracks/ab12", "dir/.hidden", "Ünïcødé/曲", "with space/x y", "a\"quote")) {
      for (boolean force : List.of(false, true)) {
        for (boolean ping : List.of(false, true)) {
          Object sentAt = wf.call("publish", Map.of("topic", "chain-downsample", "item", item, "force", force, "ping", ping));
          Map<String, Object> m = capture.messages.get(n++);
          byte[] data = Base64.getDecoder().decode((String) m.get("data"));
          Envelope decoded = EnvelopeCodec.decode(data, START.plusSeconds(3600));
          Instant created = VirtualClock.instant(((Number) sentAt).doubleValue());
          Envelope expected = new Envelope(item, force, ping, Envelope.request(item, created).direction(),
              Envelope.request(item, created).recipients(), List.of(), List.of(), new Trace("exec-7/" + item, 1, created));
          assertThat(decoded).as(item + " force=" + force + " ping=" + ping).isEqualTo(expected);
          // Exactly the codec's fields, and exactly the attributes it mirrors.
          assertThat(fields(JSON.readTree(data))).isEqualTo(fields(JSON.readTree(EnvelopeCodec.encode(decoded).data())));
          Map<String, String> attrs = new LinkedHashMap<>();
          ((Map<?, ?>) m.get("attributes")).forEach((k, v) -> attrs.put((String) k, String.valueOf(v)));
          assertThat(attrs).isEqualTo(EnvelopeCodec.encode(decoded).attributes());
        }
      }
    }
  }

  /** Every field path of a JSON object. */
  private static Set<String> fields(JsonNode node) {
    Set<String> out = new TreeSet<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      out.add(e.getKey());
      if (e.getValue().isObject()) fields(e.getValue()).forEach(f -> out.add(e.getKey() + "." + f));
    }
    return out;
  }
}
