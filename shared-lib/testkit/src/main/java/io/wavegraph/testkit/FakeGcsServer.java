package io.wavegraph.testkit;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32C;

/**
 * A small fake of the Cloud Storage JSON API on 127.0.0.1, for tests of code that uses the
 * Google Cloud Storage Java client: point the client at {@link #endpoint()} with no credentials.
 *
 * <p>It does what the client sends for object metadata, media and ranged downloads, multipart,
 * media and resumable uploads, listing by prefix with pagination, and delete. Every write gets a
 * new generation; {@code ifGenerationMatch} is honoured ({@code 0}: only if absent; 412 on
 * mismatch) and checked when an upload completes, so concurrent writers are compare-and-set.
 * Buckets spring into being on first use; there is one current generation per object (no
 * versioning), as in a bucket without object versioning. {@link #requests()} lists what was
 * asked, for checking a client's behaviour.
 *
 * <p>Two hooks serve fault-injection tests (the chaos suite): {@link #faults} answers chosen
 * requests with an error status instead of serving them (a 503 or 429, as Cloud Storage does under
 * load), and {@link #onFinalize} is told of every object written, as a bucket's Pub/Sub
 * notification configuration ({@code OBJECT_FINALIZE}, {@code JSON_API_V1}) would publish it.
 */
public final class FakeGcsServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private record Stored(byte[] data, long generation, Instant updated, String contentType) {}

  private record Upload(String bucket, String name, String contentType, Long ifGenerationMatch, ByteArrayOutputStream data) {}

  private final HttpServer server;
  private final ExecutorService pool;
  private final Map<String, NavigableMap<String, Stored>> buckets = new ConcurrentHashMap<>();
  private final Map<String, Upload> uploads = new ConcurrentHashMap<>();
  private final AtomicLong generations = new AtomicLong(System.currentTimeMillis() * 1000);
  private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
  private final int pageSize;
  private volatile java.util.function.ToIntFunction<String> faults = r -> 0;
  private volatile java.util.function.Consumer<Finalized> finalized = f -> {};

  /**
   * An object write as a Cloud Storage notification reports it: the attributes of a {@code
   * JSON_API_V1} notification ({@code eventType}, {@code bucketId}, {@code objectId}, {@code
   * objectGeneration}, {@code payloadFormat}) and its data, the object's resource JSON.
   */
  public record Finalized(String bucket, String name, long generation, byte[] data, Map<String, String> attributes) {}

  private FakeGcsServer(int pageSize) throws IOException {
    this.pageSize = pageSize;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    pool = Executors.newFixedThreadPool(8, r -> {
      Thread t = new Thread(r, "fake-gcs");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(pool);
    server.createContext("/", this::handle);
    server.start();
  }

  /** Starts a fake that lists at most 1000 objects a page unless the client asks for fewer. */
  public static FakeGcsServer start() {
    return start(1000);
  }

  /** Starts a fake whose list pages hold at most {@code pageSize} objects (to test pagination). */
  public static FakeGcsServer start(int pageSize) {
    try {
      return new FakeGcsServer(pageSize);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code http://127.0.0.1:PORT}: the client's host. */
  public String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Every request so far as {@code METHOD path?query}, in arrival order. */
  public List<String> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  /** Puts an object directly, as if uploaded; returns its generation. */
  public long putObject(String bucket, String name, byte[] data) {
    Stored s;
    synchronized (this) {
      long g = generations.incrementAndGet();
      s = new Stored(data.clone(), g, Instant.now(), "application/octet-stream");
      bucket(bucket).put(name, s);
    }
    notifyFinalized(bucket, name, s);
    return s.generation();
  }

  /** The current bytes of an object, or empty when there is none. */
  public java.util.Optional<byte[]> object(String bucket, String name) {
    Stored s = bucket(bucket).get(name);
    return s == null ? java.util.Optional.empty() : java.util.Optional.of(s.data().clone());
  }

  /**
   * Decides, for every request ({@code METHOD path?query}, as {@link #requests()} lists it), an
   * error status to answer instead of serving it, or 0 to serve it. The request has no effect when
   * it is refused. Replaces the previous rule; {@code r -> 0} turns faults off.
   */
  public void faults(java.util.function.ToIntFunction<String> rule) {
    this.faults = rule;
  }

  /**
   * Tells {@code listener} of every object written from now on (uploads and {@link #putObject}),
   * after the write, on the writing thread. Replaces the previous listener.
   */
  public void onFinalize(java.util.function.Consumer<Finalized> listener) {
    this.finalized = listener;
  }

  private void notifyFinalized(String bucket, String name, Stored s) {
    Map<String, String> attrs = new LinkedHashMap<>();
    attrs.put("eventType", "OBJECT_FINALIZE");
    attrs.put("payloadFormat", "JSON_API_V1");
    attrs.put("bucketId", bucket);
    attrs.put("objectId", name);
    attrs.put("objectGeneration", Long.toString(s.generation()));
    attrs.put("eventTime", s.updated().toString());
    byte[] data;
    try {
      data = JSON.writeValueAsBytes(resource(bucket, name, s));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    finalized.accept(new Finalized(bucket, name, s.generation(), data, Map.copyOf(attrs)));
  }

  @Override
  public void close() {
    server.stop(0);
    pool.shutdownNow();
  }

  private NavigableMap<String, Stored> bucket(String name) {
    return buckets.computeIfAbsent(name, k -> Collections.synchronizedNavigableMap(new TreeMap<>()));
  }

  private void handle(HttpExchange x) throws IOException {
    String rawPath = x.getRequestURI().getRawPath();
    Map<String, String> q = query(x.getRequestURI().getRawQuery());
    String described = x.getRequestMethod() + " " + rawPath + (x.getRequestURI().getRawQuery() == null ? "" : "?" + x.getRequestURI().getRawQuery());
    requests.add(described);
    try {
      int fault = faults.applyAsInt(described);
      if (fault != 0) {
        x.getRequestBody().readAllBytes();
        error(x, fault, "injected fault " + fault);
        return;
      }
      byte[] body = x.getRequestBody().readAllBytes();
      if ("gzip".equalsIgnoreCase(x.getRequestHeaders().getFirst("Content-Encoding"))) {
        body = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(body)).readAllBytes();
      }
      String path = rawPath.replaceFirst("^/(upload|download)/", "/");
      String method = x.getRequestMethod();
      if (q.containsKey("upload_id")) {
        resumableChunk(x, q.get("upload_id"), body);
      } else if (method.equals("POST") && rawPath.startsWith("/upload/")) {
        upload(x, bucketOf(path), q, body);
      } else if (path.matches("/storage/v1/b/[^/]+/o/.+")) {
        String bucket = bucketOf(path);
        String name = decode(path.substring(path.indexOf("/o/") + 3));
        switch (method) {
          case "GET" -> get(x, bucket, name, q);
          case "DELETE" -> delete(x, bucket, name);
          default -> error(x, 405, "method " + method);
        }
      } else if (path.matches("/storage/v1/b/[^/]+/o/?") && method.equals("GET")) {
        list(x, bucketOf(path), q);
      } else if (path.matches("/storage/v1/b/[^/]+/?") && method.equals("GET")) {
        ObjectNode b = JSON.createObjectNode().put("kind", "storage#bucket").put("name", bucketOf(path));
        json(x, 200, b);
      } else {
        error(x, 404, "no such endpoint " + method + " " + rawPath);
      }
    } catch (RuntimeException e) {
      error(x, 500, e.toString());
    } finally {
      x.close();
    }
  }

  private void get(HttpExchange x, String bucket, String name, Map<String, String> q) throws IOException {
    Stored s = bucket(bucket).get(name);
    if (s == null || (q.containsKey("generation") && Long.parseLong(q.get("generation")) != s.generation())) {
      error(x, 404, "No such object: " + bucket + "/" + name);
      return;
    }
    if (!"media".equals(q.get("alt"))) {
      json(x, 200, resource(bucket, name, s));
      return;
    }
    byte[] data = s.data();
    int from = 0;
    int to = data.length - 1;
    String range = x.getRequestHeaders().getFirst("Range");
    int status = 200;
    if (range != null && range.startsWith("bytes=") && data.length > 0) {
      String[] ab = range.substring(6).split("-", -1);
      from = Integer.parseInt(ab[0]);
      if (!ab[1].isEmpty()) to = (int) Math.min(Long.parseLong(ab[1]), data.length - 1L);
      if (from >= data.length && data.length > 0) {
        x.getResponseHeaders().set("Content-Range", "bytes */" + data.length);
        error(x, 416, "requested range not satisfiable");
        return;
      }
      status = 206;
      x.getResponseHeaders().set("Content-Range", "bytes " + from + "-" + to + "/" + data.length);
    }
    x.getResponseHeaders().set("Content-Type", s.contentType());
    x.getResponseHeaders().set("x-goog-generation", String.valueOf(s.generation()));
    x.getResponseHeaders().set("x-goog-metageneration", "1");
    x.getResponseHeaders().set("x-goog-stored-content-length", String.valueOf(data.length));
    if (status == 200) x.getResponseHeaders().set("x-goog-hash", "crc32c=" + crc32c(data) + ",md5=" + md5(data));
    int len = Math.max(0, to - from + 1);
    send(x, status, data, from, len);
  }

  private void delete(HttpExchange x, String bucket, String name) throws IOException {
    if (bucket(bucket).remove(name) == null) {
      error(x, 404, "No such object: " + bucket + "/" + name);
    } else {
      x.sendResponseHeaders(204, -1);
    }
  }

  private void list(HttpExchange x, String bucket, Map<String, String> q) throws IOException {
    String prefix = q.getOrDefault("prefix", "");
    int max = Math.min(pageSize, Integer.parseInt(q.getOrDefault("maxResults", "1000")));
    String after = q.get("pageToken");
    ArrayNode items = JSON.createArrayNode();
    String last = null;
    boolean more = false;
    NavigableMap<String, Stored> b = bucket(bucket);
    synchronized (b) {
      NavigableMap<String, Stored> tail = after == null ? b.tailMap(prefix, true) : b.tailMap(after, false);
      for (Map.Entry<String, Stored> e : tail.entrySet()) {
        if (!e.getKey().startsWith(prefix)) break;
        if (items.size() == max) {
          more = true;
          break;
        }
        items.add(resource(bucket, e.getKey(), e.getValue()));
        last = e.getKey();
      }
    }
    ObjectNode out = JSON.createObjectNode().put("kind", "storage#objects");
    if (!items.isEmpty()) out.set("items", items);
    if (more) out.put("nextPageToken", last);
    json(x, 200, out);
  }

  private void upload(HttpExchange x, String bucket, Map<String, String> q, byte[] body) throws IOException {
    String type = q.getOrDefault("uploadType", "media");
    Long match = q.containsKey("ifGenerationMatch") ? Long.parseLong(q.get("ifGenerationMatch")) : null;
    switch (type) {
      case "media" -> commit(x, bucket, q.get("name"), contentType(x), match, body);
      case "multipart" -> {
        List<byte[]> parts = multipart(x.getRequestHeaders().getFirst("Content-Type"), body);
        JsonNode meta = JSON.readTree(parts.get(0));
        String ct = meta.path("contentType").asText("application/octet-stream");
        commit(x, bucket, meta.path("name").asText(q.get("name")), ct, match, parts.get(1));
      }
      case "resumable" -> {
        JsonNode meta = body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
        String name = meta.path("name").asText(q.get("name"));
        String id = UUID.randomUUID().toString();
        uploads.put(id, new Upload(bucket, name, meta.path("contentType").asText("application/octet-stream"), match,
            new ByteArrayOutputStream()));
        x.getResponseHeaders().set("Location",
            endpoint() + "/upload/storage/v1/b/" + bucket + "/o?uploadType=resumable&upload_id=" + id);
        x.getResponseHeaders().set("x-guploader-uploadid", id);
        x.sendResponseHeaders(200, -1);
      }
      default -> error(x, 400, "uploadType " + type);
    }
  }

  /** One PUT of a resumable upload: {@code Content-Range: bytes a-b/total}, {@code a-b/*} or {@code * /total}. */
  private void resumableChunk(HttpExchange x, String id, byte[] body) throws IOException {
    Upload u = uploads.get(id);
    if (u == null) {
      error(x, 404, "no such upload " + id);
      return;
    }
    String range = x.getRequestHeaders().getFirst("Content-Range");
    long total = -1;
    if (range != null && range.startsWith("bytes ")) {
      String[] r = range.substring(6).split("/");
      if (!r[1].equals("*")) total = Long.parseLong(r[1]);
      if (!r[0].equals("*")) {
        long from = Long.parseLong(r[0].split("-")[0]);
        synchronized (u) {
          if (from == u.data().size()) u.data().write(body);
          else if (from > u.data().size()) {
            error(x, 400, "chunk starts at " + from + " but " + u.data().size() + " bytes were received");
            return;
          } // else: a chunk sent again; its bytes are already here
        }
      }
    } else {
      synchronized (u) {
        u.data().write(body);
        total = u.data().size();
      }
    }
    byte[] data;
    synchronized (u) {
      if (total < 0 || u.data().size() < total) {
        if (u.data().size() > 0) x.getResponseHeaders().set("Range", "bytes=0-" + (u.data().size() - 1));
        x.sendResponseHeaders(308, -1);
        return;
      }
      data = u.data().toByteArray();
    }
    uploads.remove(id);
    commit(x, u.bucket(), u.name(), u.contentType(), u.ifGenerationMatch(), data);
  }

  private void commit(HttpExchange x, String bucket, String name, String contentType, Long match, byte[] data)
      throws IOException {
    if (name == null || name.isEmpty()) {
      error(x, 400, "no object name");
      return;
    }
    Stored s;
    synchronized (this) {
      Stored current = bucket(bucket).get(name);
      long currentGeneration = current == null ? 0 : current.generation();
      if (match != null && match != currentGeneration) {
        error(x, 412, "conditionNotMet: ifGenerationMatch=" + match + ", current generation " + currentGeneration);
        return;
      }
      s = new Stored(data, generations.incrementAndGet(), Instant.now(), contentType);
      bucket(bucket).put(name, s);
    }
    notifyFinalized(bucket, name, s);
    json(x, 200, resource(bucket, name, s));
  }

  private ObjectNode resource(String bucket, String name, Stored s) {
    return JSON.createObjectNode()
        .put("kind", "storage#object")
        .put("id", bucket + "/" + name + "/" + s.generation())
        .put("selfLink", endpoint() + "/storage/v1/b/" + bucket + "/o/" + encode(name))
        .put("name", name)
        .put("bucket", bucket)
        .put("generation", String.valueOf(s.generation()))
        .put("metageneration", "1")
        .put("contentType", s.contentType())
        .put("size", String.valueOf(s.data().length))
        .put("timeCreated", s.updated().toString())
        .put("updated", s.updated().toString())
        .put("storageClass", "STANDARD")
        .put("md5Hash", md5(s.data()))
        .put("crc32c", crc32c(s.data()));
  }

  private static List<byte[]> multipart(String contentType, byte[] body) {
    String boundary = null;
    for (String p : contentType.split(";")) {
      p = p.trim();
      if (p.startsWith("boundary=")) boundary = p.substring(9).replace("\"", "");
    }
    if (boundary == null) throw new IllegalArgumentException("multipart without boundary: " + contentType);
    byte[] delimiter = ("--" + boundary).getBytes(UTF_8);
    List<byte[]> parts = new ArrayList<>();
    int at = indexOf(body, delimiter, 0);
    while (at >= 0) {
      int start = at + delimiter.length;
      if (start + 1 < body.length && body[start] == '-' && body[start + 1] == '-') break;
      int headersEnd = indexOf(body, "\r\n\r\n".getBytes(UTF_8), start);
      int next = indexOf(body, delimiter, headersEnd + 4);
      int end = next - 2; // the CRLF before the delimiter
      byte[] part = new byte[Math.max(0, end - (headersEnd + 4))];
      System.arraycopy(body, headersEnd + 4, part, 0, part.length);
      parts.add(part);
      at = next;
    }
    return parts;
  }

  private static int indexOf(byte[] hay, byte[] needle, int from) {
    outer:
    for (int i = Math.max(0, from); i <= hay.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
      return i;
    }
    return -1;
  }

  private static String contentType(HttpExchange x) {
    String ct = x.getRequestHeaders().getFirst("Content-Type");
    return ct == null ? "application/octet-stream" : ct;
  }

  private static String bucketOf(String path) {
    String rest = path.substring("/storage/v1/b/".length());
    int slash = rest.indexOf('/');
    return decode(slash < 0 ? rest : rest.substring(0, slash));
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> q = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) return q;
    for (String kv : raw.split("&")) {
      int eq = kv.indexOf('=');
      String k = eq < 0 ? kv : kv.substring(0, eq);
      String v = eq < 0 ? "" : kv.substring(eq + 1);
      q.put(decode(k.replace('+', ' ')), decode(v.replace("+", "%20")));
    }
    return q;
  }

  /** Percent-decoding as in a URL path ('+' is a plus). */
  private static String decode(String s) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%' && i + 2 < s.length()) {
        out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        byte[] b = String.valueOf(c).getBytes(UTF_8);
        out.write(b, 0, b.length);
      }
    }
    return out.toString(UTF_8);
  }

  private static String encode(String s) {
    return java.net.URLEncoder.encode(s, UTF_8).replace("+", "%20");
  }

  private static String md5(byte[] data) {
    try {
      return Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(data));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String crc32c(byte[] data) {
    CRC32C c = new CRC32C();
    c.update(data);
    long v = c.getValue();
    byte[] b = {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    return Base64.getEncoder().encodeToString(b);
  }

  private static void json(HttpExchange x, int status, JsonNode body) throws IOException {
    x.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
    byte[] b = JSON.writeValueAsBytes(body);
    send(x, status, b, 0, b.length);
  }

  private static void error(HttpExchange x, int status, String message) throws IOException {
    ObjectNode err = JSON.createObjectNode();
    ObjectNode e = err.putObject("error").put("code", status).put("message", message);
    e.putArray("errors").addObject().put("message", message).put("reason", status == 412 ? "conditionNotMet" : "error");
    json(x, status, err);
  }

  private static void send(HttpExchange x, int status, byte[] data, int from, int len) throws IOException {
    x.sendResponseHeaders(status, len == 0 ? -1 : len);
    if (len > 0) {
      try (OutputStream out = x.getResponseBody()) {
        out.write(data, from, len);
      }
    }
  }
}
