package io.wavegraph.core.envelope;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wavegraph.core.port.Message;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Envelopes to and from bus messages: JSON in the data, with the routing fields mirrored into
 * attributes so that subscriptions can filter on them. Also accepts a plain Cloud Storage object
 * notification (the JSON object resource), which the roots turn into a new request.
 */
public final class EnvelopeCodec {
  /** Attribute names mirrored from the envelope. */
  public static final String ATTR_ITEM = "item";
  public static final String ATTR_DIRECTION = "direction";
  public static final String ATTR_RECIPIENTS = "recipients";
  public static final String ATTR_FORCE = "force";
  public static final String ATTR_PING = "ping";
  public static final String ATTR_VERSION = "v";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> FIELDS =
      Set.of("v", "item", "force", "ping", "direction", "recipients", "downstream", "visited", "trace");

  private EnvelopeCodec() {}

  public static Message encode(Envelope e) {
    ObjectNode o = JSON.createObjectNode();
    o.put("v", Envelope.VERSION);
    o.put("item", e.item());
    o.put("force", e.force());
    o.put("ping", e.ping());
    o.put("direction", e.direction().wire());
    if (e.recipients().isAll()) {
      o.put("recipients", "*");
    } else {
      ArrayNode r = o.putArray("recipients");
      e.recipients().steps().forEach(r::add);
    }
    ArrayNode d = o.putArray("downstream");
    e.downstream().forEach(d::add);
    ArrayNode v = o.putArray("visited");
    e.visited().forEach(v::add);
    ObjectNode t = o.putObject("trace");
    t.put("id", e.trace().id());
    t.put("attempt", e.trace().attempt());
    t.put("created", e.trace().created().toString());
    Map<String, String> attrs = new LinkedHashMap<>();
    attrs.put(ATTR_VERSION, Integer.toString(Envelope.VERSION));
    attrs.put(ATTR_ITEM, e.item());
    attrs.put(ATTR_DIRECTION, e.direction().wire());
    attrs.put(ATTR_RECIPIENTS, e.recipients().toString());
    attrs.put(ATTR_FORCE, Boolean.toString(e.force()));
    attrs.put(ATTR_PING, Boolean.toString(e.ping()));
    try {
      return new Message(JSON.writeValueAsBytes(o), attrs);
    } catch (JsonProcessingException ex) {
      throw new IllegalStateException("cannot encode envelope", ex);
    }
  }

  /**
   * Decodes the message data.
   *
   * @param now the time to stamp on a request made from a storage notification
   * @throws InvalidEnvelopeException naming the field and what is wrong
   */
  public static Envelope decode(byte[] data, Instant now) throws InvalidEnvelopeException {
    JsonNode root;
    try {
      root = JSON.readTree(data);
    } catch (Exception ex) {
      throw new InvalidEnvelopeException("not JSON: " + firstLine(ex.getMessage()));
    }
    if (root == null || !root.isObject()) {
      throw new InvalidEnvelopeException("not a JSON object");
    }
    if (!root.has("item") && root.has("name") && root.has("bucket")) {
      return fromStorageObject(root, now);
    }
    for (var it = root.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!FIELDS.contains(f)) throw new InvalidEnvelopeException("unknown field '" + f + "'");
    }
    int v = root.has("v") ? intField(root, "v") : 1;
    if (v < 1 || v > Envelope.VERSION) {
      throw new InvalidEnvelopeException("unsupported envelope version " + v + " (this reader knows 1.." + Envelope.VERSION + ")");
    }
    String item = ItemIds.check(textField(root, "item", null));
    boolean force = boolField(root, "force");
    boolean ping = boolField(root, "ping");
    Direction direction = direction(root);
    Recipients recipients = recipients(root.get("recipients"));
    List<String> downstream = stringList(root, "downstream");
    List<String> visited = stringList(root, "visited");
    Trace trace = trace(root.get("trace"), now);
    return new Envelope(item, force, ping, direction, recipients, downstream, visited, trace);
  }

  private static Envelope fromStorageObject(JsonNode root, Instant now) throws InvalidEnvelopeException {
    String item = ItemIds.fromObjectName(textField(root, "name", null));
    return Envelope.request(item, now);
  }

  private static Direction direction(JsonNode root) throws InvalidEnvelopeException {
    String d = textField(root, "direction", "down");
    return switch (d) {
      case "down" -> Direction.DOWN;
      case "up" -> Direction.UP;
      default -> throw new InvalidEnvelopeException("field 'direction' must be 'down' or 'up', got '" + d + "'");
    };
  }

  private static Recipients recipients(JsonNode n) throws InvalidEnvelopeException {
    if (n == null || n.isNull()) return Recipients.all();
    if (n.isTextual() && n.asText().equals("*")) return Recipients.all();
    if (!n.isArray()) throw new InvalidEnvelopeException("field 'recipients' must be \"*\" or a list of step names");
    List<String> steps = new ArrayList<>();
    for (JsonNode s : n) {
      if (!s.isTextual()) throw new InvalidEnvelopeException("field 'recipients' must hold step names (strings)");
      steps.add(s.asText());
    }
    return Recipients.only(steps);
  }

  private static Trace trace(JsonNode n, Instant now) throws InvalidEnvelopeException {
    if (n == null || n.isNull()) return Trace.start(now);
    if (!n.isObject()) throw new InvalidEnvelopeException("field 'trace' must be an object");
    String id = textField(n, "id", null);
    int attempt = n.has("attempt") ? intField(n, "attempt") : 1;
    String created = textField(n, "created", null);
    try {
      return new Trace(id, attempt, Instant.parse(created));
    } catch (DateTimeParseException ex) {
      throw new InvalidEnvelopeException("field 'trace.created' is not an ISO-8601 instant: '" + created + "'");
    }
  }

  private static String textField(JsonNode n, String name, String dflt) throws InvalidEnvelopeException {
    JsonNode f = n.get(name);
    if (f == null || f.isNull()) {
      if (dflt != null) return dflt;
      throw new InvalidEnvelopeException("field '" + name + "' is missing");
    }
    if (!f.isTextual()) throw new InvalidEnvelopeException("field '" + name + "' must be a string");
    return f.asText();
  }

  private static int intField(JsonNode n, String name) throws InvalidEnvelopeException {
    JsonNode f = n.get(name);
    if (!f.canConvertToInt() || !f.isIntegralNumber()) {
      throw new InvalidEnvelopeException("field '" + name + "' must be an integer");
    }
    return f.asInt();
  }

  private static boolean boolField(JsonNode n, String name) throws InvalidEnvelopeException {
    JsonNode f = n.get(name);
    if (f == null || f.isNull()) return false;
    if (!f.isBoolean()) throw new InvalidEnvelopeException("field '" + name + "' must be true or false");
    return f.asBoolean();
  }

  private static List<String> stringList(JsonNode n, String name) throws InvalidEnvelopeException {
    JsonNode f = n.get(name);
    List<String> out = new ArrayList<>();
    if (f == null || f.isNull()) return out;
    if (!f.isArray()) throw new InvalidEnvelopeException("field '" + name + "' must be a list");
    for (JsonNode s : f) {
      if (!s.isTextual()) throw new InvalidEnvelopeException("field '" + name + "' must hold strings");
      out.add(s.asText());
    }
    return out;
  }

  private static String firstLine(String s) {
    if (s == null) return "unreadable";
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  /** Encodes to a JSON string, for logs and dead letters. */
  public static String toJson(Envelope e) {
    return new String(encode(e).data(), StandardCharsets.UTF_8);
  }
}
