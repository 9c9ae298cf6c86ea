package io.wavegraph.compiler.workflows;

import io.wavegraph.core.envelope.Envelope;
import io.wavegraph.core.envelope.EnvelopeCodec;
import io.wavegraph.core.envelope.InvalidEnvelopeException;
import io.wavegraph.core.port.BlobInfo;
import io.wavegraph.core.port.LedgerDocumentId;
import io.wavegraph.core.port.LedgerRecord;
import io.wavegraph.local.EmbeddedRuntime;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The connectors the workflows call, answered by an {@link EmbeddedRuntime}: Pub/Sub publish
 * decodes each message as an envelope and publishes it to the step of topic {@code <graph>-<step>};
 * Firestore {@code documents.get} reads the SQLite ledger by {@link LedgerDocumentId} and answers in
 * Firestore's REST shape (404 when missing); Cloud Storage {@code objects.list} lists the input
 * directory; {@code sys.sleep} waits for the runtime to go idle and moves the {@link VirtualClock}.
 */
final class EmbeddedGoogleApis implements Connectors {
  static final String PROJECT = "test-project";

  private final EmbeddedRuntime runtime;
  private final String graph;
  private final List<String> steps;
  private final String inputBucket;
  private final VirtualClock clock;
  final List<Object> logs = new ArrayList<>();
  final List<String> published = new ArrayList<>();

  /** Where the runtime's input directory lies in the bucket: {@code ""} or a prefix ending in {@code /}. */
  private final String inputPrefix;
  /** Object names the bucket lists besides the input files (folder placeholders, say). */
  final List<String> extraObjects = new ArrayList<>();

  EmbeddedGoogleApis(EmbeddedRuntime runtime, String graph, List<String> steps, String inputBucket, VirtualClock clock) {
    this(runtime, graph, steps, inputBucket, "", clock);
  }

  /** @param inputPrefix the graph's input prefix: the input directory's files are listed under it */
  EmbeddedGoogleApis(EmbeddedRuntime runtime, String graph, List<String> steps, String inputBucket, String inputPrefix,
      VirtualClock clock) {
    this.inputPrefix = inputPrefix;
    this.runtime = runtime;
    this.graph = graph;
    this.steps = steps;
    this.inputBucket = inputBucket;
    this.clock = clock;
  }

  @Override
  public boolean has(String name) {
    return Set.of("googleapis.pubsub.v1.projects.topics.publish", "googleapis.firestore.v1.projects.databases.documents.get",
        "googleapis.storage.v1.objects.list", "sys.sleep", "sys.log").contains(name);
  }

  @Override
  public Object call(String name, Map<String, Object> args) {
    return switch (name) {
      case "googleapis.pubsub.v1.projects.topics.publish" -> publish(args);
      case "googleapis.firestore.v1.projects.databases.documents.get" -> getDocument(Values.text(args.get("name")));
      case "googleapis.storage.v1.objects.list" -> list(args);
      case "sys.sleep" -> sleep(((Number) args.get("seconds")).longValue());
      case "sys.log" -> {
        synchronized (logs) {
          logs.add(args);
        }
        yield null;
      }
      default -> throw new Unsupported("connector " + name);
    };
  }

  private Object publish(Map<String, Object> args) {
    String prefix = "projects/" + PROJECT + "/topics/" + graph + "-";
    String topic = Values.text(args.get("topic"));
    if (!topic.startsWith(prefix) || !steps.contains(topic.substring(prefix.length()))) {
      throw WorkflowError.http(404, "no topic " + topic);
    }
    String step = topic.substring(prefix.length());
    List<Object> ids = new ArrayList<>();
    for (Object m : Values.list(Values.map(args.get("body")).get("messages"))) {
      Map<String, Object> message = Values.map(m);
      byte[] data = Base64.getDecoder().decode(Values.text(message.get("data")));
      Envelope e;
      try {
        e = EnvelopeCodec.decode(data, clock.now());
      } catch (InvalidEnvelopeException ex) {
        throw new IllegalStateException("the workflow published an envelope the runtime refuses: " + ex.getMessage(), ex);
      }
      // The attributes must say what the data says (push subscriptions route on them).
      Map<String, String> expected = EnvelopeCodec.encode(e).attributes();
      Map<String, Object> attrs = Values.map(message.get("attributes"));
      for (String k : List.of(EnvelopeCodec.ATTR_ITEM, EnvelopeCodec.ATTR_FORCE, EnvelopeCodec.ATTR_PING)) {
        if (!String.valueOf(attrs.get(k)).equals(expected.get(k))) {
          throw new IllegalStateException("attribute " + k + "=" + attrs.get(k) + " but the envelope says " + expected.get(k));
        }
      }
      runtime.publish(step, e);
      synchronized (published) {
        published.add(step + ":" + e.item() + (e.ping() ? " ping" : "") + (e.force() ? " force" : ""));
        ids.add(String.valueOf(published.size()));
      }
    }
    return Map.of("messageIds", ids);
  }

  private Object getDocument(String name) {
    String prefix = "projects/" + PROJECT + "/databases/" + graph + "-ledger/documents/ledger/";
    if (!name.startsWith(prefix)) throw WorkflowError.http(404, "no database or collection for " + name);
    String id = name.substring(prefix.length());
    for (String step : steps) {
      for (LedgerRecord r : runtime.ledger().records(step)) {
        if (LedgerDocumentId.of(r.key()).equals(id)) return document(name, r);
      }
    }
    throw WorkflowError.http(404, "document not found: " + name);
  }

  /** The REST shape: typed {@code fields}, with {@code state} lower case as FirestoreLedger stores it. */
  private Map<String, Object> document(String name, LedgerRecord r) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("step", Map.of("stringValue", r.key().step()));
    fields.put("item", Map.of("stringValue", r.key().item()));
    if (r.state() != null) fields.put("state", Map.of("stringValue", r.state().name().toLowerCase(Locale.ROOT)));
    fields.put("attempts", Map.of("integerValue", String.valueOf(r.attempts())));
    fields.put("revision", Map.of("integerValue", String.valueOf(r.revision())));
    Instant updated = Stream.of(r.started(), r.finished(), r.pinged()).filter(t -> t != null).max(Instant::compareTo).orElseThrow();
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("name", name);
    doc.put("fields", fields);
    doc.put("updateTime", clock.toVirtual(updated).toString());
    return doc;
  }

  private Object list(Map<String, Object> args) {
    if (!inputBucket.equals(args.get("bucket"))) throw WorkflowError.http(404, "no bucket " + args.get("bucket"));
    String prefix = args.get("prefix") == null ? "" : Values.text(args.get("prefix"));
    int start = args.get("pageToken") == null ? 0 : Integer.parseInt(Values.text(args.get("pageToken")));
    int max = args.get("maxResults") == null ? 1000 : ((Number) args.get("maxResults")).intValue();
    List<String> all = new ArrayList<>();
    try {
      // The bucket holds the input directory's files under the input prefix.
      for (BlobInfo b : runtime.input().list("")) all.add(inputPrefix + b.key());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    all.addAll(extraObjects);
    all.removeIf(n -> !n.startsWith(prefix));
    java.util.Collections.sort(all);
    Map<String, Object> page = new LinkedHashMap<>();
    page.put("kind", "storage#objects");
    List<Object> items = new ArrayList<>();
    for (String name : all.subList(Math.min(start, all.size()), Math.min(start + max, all.size()))) {
      items.add(Map.of("bucket", inputBucket, "name", name));
    }
    if (!items.isEmpty()) page.put("items", items); // as GCS: no "items" on an empty page
    if (start + max < all.size()) page.put("nextPageToken", String.valueOf(start + max));
    return page;
  }

  private Object sleep(long seconds) {
    Instant until = clock.now().plusSeconds(seconds);
    runtime.awaitIdle(Duration.ofSeconds(30));
    clock.advanceTo(until);
    return null;
  }
}
