package io.wavegraph.core.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wavegraph.core.envelope.Envelope;
import io.wavegraph.core.envelope.EnvelopeCodec;
import io.wavegraph.core.envelope.InvalidEnvelopeException;
import io.wavegraph.core.port.Ledger;
import io.wavegraph.core.port.LedgerRecord;
import io.wavegraph.core.port.StepItem;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A batch of a batch step: the items gathered for one run of its job, each with the request that
 * brought it and the URIs of its inputs. It is a blob, {@link #key(String, String)} in the output
 * store, written once before the job starts; the job reads it and takes its shard. The JSON is
 * {@code {"schema": "wavegraph.batch-manifest/v1", "graph", "step", "batch", "entries": [{"item",
 * "inputs": [uri, ...], "envelope": {...}}]}}; the cloud's batch workflow writes the same shape.
 *
 * <p>Which batch holds an item is recorded in the ledger under {@link #membership(String,
 * String)}: a claim owned by the batch id, made when the item is admitted, completed when the job
 * has finished with it. A second batch never takes an item that a live batch holds.
 */
public record BatchManifest(String graph, String step, String batch, List<Entry> entries) {
  public static final String SCHEMA = "wavegraph.batch-manifest/v1";
  /** Where manifests live in the output store, under which each step has a folder. */
  public static final String PREFIX = "_wavegraph/manifests/";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One item of the batch. */
  public record Entry(String item, List<String> inputs, Envelope envelope) {
    public Entry {
      inputs = List.copyOf(inputs);
    }
  }

  public BatchManifest {
    entries = List.copyOf(entries);
    Set<String> seen = new LinkedHashSet<>();
    for (Entry e : entries) {
      if (!seen.add(e.item())) throw new IllegalArgumentException("batch " + batch + " lists item '" + e.item() + "' twice");
    }
  }

  /** The manifest's key in the output store. */
  public static String key(String step, String batch) {
    return PREFIX + step + "/" + batch + ".json";
  }

  public String key() {
    return key(step, batch);
  }

  /**
   * True for a request that a batch already holding its item answers: top-down to every
   * recipient, not forced. Such a request for an item a live batch holds is left to that batch.
   * Any other (forced, or routed bottom-up to some steps only) is run anyway: the batch holding
   * the item may not answer it, and the item's own claim still keeps two runs from overlapping.
   */
  public static boolean answeredByAnyBatch(Envelope e) {
    return !e.force() && e.recipients().isAll() && e.downstream().isEmpty();
  }

  /**
   * Makes {@code batch} the holder of {@code key} (a {@link #membership} record, read as {@code
   * current}), unless another batch holds it with a live lease or takes it meanwhile.
   *
   * @return empty when {@code batch} holds it now; else the batch that does ("?" if unknown)
   */
  public static Optional<String> hold(Ledger ledger, StepItem key, LedgerRecord current, String batch, Instant now,
      Duration lease) {
    if (current != null && !batch.equals(current.owner()) && current.isLiveClaim(now)) return Optional.of(current.owner());
    if (ledger.claim(key, current, batch, now, lease).isPresent()) return Optional.empty();
    return Optional.of(ledger.get(key).map(LedgerRecord::owner).orElse("?"));
  }

  /** The ledger key that records which batch holds {@code item} of {@code step}. */
  public static StepItem membership(String step, String item) {
    return new StepItem(step + "#batch", item);
  }

  /** True for a {@link #membership} record's key. */
  public static boolean isMembership(StepItem key) {
    return key.step().endsWith("#batch");
  }

  /** The entries of task {@code index} of {@code count}: every count-th entry from the index-th. */
  public List<Entry> shard(int index, int count) {
    if (count < 1 || index < 0 || index >= count) {
      throw new IllegalArgumentException("task " + index + " of " + count + ": the index must be in [0, count)");
    }
    List<Entry> out = new ArrayList<>();
    for (int i = index; i < entries.size(); i += count) out.add(entries.get(i));
    return out;
  }

  public byte[] toJson() {
    ObjectNode root = JSON.createObjectNode();
    root.put("schema", SCHEMA);
    root.put("graph", graph);
    root.put("step", step);
    root.put("batch", batch);
    ArrayNode list = root.putArray("entries");
    for (Entry e : entries) {
      ObjectNode n = list.addObject();
      n.put("item", e.item());
      ArrayNode inputs = n.putArray("inputs");
      e.inputs().forEach(inputs::add);
      try {
        n.set("envelope", JSON.readTree(EnvelopeCodec.toJson(e.envelope())));
      } catch (IOException ex) {
        throw new IllegalStateException("envelope of " + e.item() + " is not JSON", ex);
      }
    }
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
    } catch (IOException ex) {
      throw new IllegalStateException(ex);
    }
  }

  /**
   * Reads a manifest; {@code where} names it in errors (its URI).
   *
   * @throws InvalidManifestException naming what is wrong and where
   */
  public static BatchManifest parse(byte[] json, String where, Instant now) throws InvalidManifestException {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (IOException e) {
      throw new InvalidManifestException(where + ": not JSON: " + e.getMessage());
    }
    if (root == null || !root.isObject()) throw new InvalidManifestException(where + ": not a JSON object");
    String schema = root.path("schema").asText("");
    if (!SCHEMA.equals(schema)) {
      throw new InvalidManifestException(where + ": schema is '" + schema + "', expected '" + SCHEMA + "'");
    }
    String graph = text(root, "graph", where);
    String step = text(root, "step", where);
    String batch = text(root, "batch", where);
    JsonNode list = root.get("entries");
    if (list == null || !list.isArray()) throw new InvalidManifestException(where + ": 'entries' must be a list");
    List<Entry> entries = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    for (int i = 0; i < list.size(); i++) {
      JsonNode n = list.get(i);
      String at = where + ": entries[" + i + "]";
      JsonNode env = n.get("envelope");
      if (env == null || !env.isObject()) throw new InvalidManifestException(at + ": 'envelope' must be an object");
      Envelope envelope;
      try {
        envelope = EnvelopeCodec.decode(JSON.writeValueAsBytes(env), now);
      } catch (InvalidEnvelopeException | IOException e) {
        throw new InvalidManifestException(at + ": invalid envelope: " + e.getMessage());
      }
      String item = n.path("item").asText(envelope.item());
      if (!item.equals(envelope.item())) {
        throw new InvalidManifestException(at + ": item '" + item + "' but its envelope is for '" + envelope.item() + "'");
      }
      // A later request for an item already listed adds nothing: the job runs each item once.
      if (!seen.add(item)) continue;
      List<String> inputs = new ArrayList<>();
      n.path("inputs").forEach(u -> inputs.add(u.asText()));
      entries.add(new Entry(item, inputs, envelope));
    }
    return new BatchManifest(graph, step, batch, entries);
  }

  private static String text(JsonNode root, String field, String where) throws InvalidManifestException {
    JsonNode n = root.get(field);
    if (n == null || !n.isTextual() || n.asText().isEmpty()) {
      throw new InvalidManifestException(where + ": '" + field + "' must be a non-empty string");
    }
    return n.asText();
  }

  /** A manifest that cannot be read: the message names what is wrong and where. */
  public static final class InvalidManifestException extends Exception {
    public InvalidManifestException(String message) {
      super(message);
    }
  }
}
