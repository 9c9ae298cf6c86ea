package io.wavegraph.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wavegraph.core.graph.ResolvedGraph;
import io.wavegraph.core.graph.StepKind;
import io.wavegraph.core.graph.StepSpec;
import io.wavegraph.core.pipeline.Freshness;
import io.wavegraph.core.pipeline.Layout;
import io.wavegraph.core.pipeline.Ports;
import io.wavegraph.core.port.Ledger;
import io.wavegraph.core.port.LedgerRecord;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.imageio.ImageIO;

/**
 * What the report page shows, as one compact JSON object the page renders itself: per step its
 * kind and counts (judged as {@code status} judges them), failures grouped by reason, one row per
 * item (an array, not an object, so that 10,000 items stay small), the loudness and tempo of
 * every item, and a few spectrogram thumbnails as data URIs.
 *
 * <p>An item row is {@code [id, cell per step (0 when absent), integrated LUFS, BPM]}; a cell is
 * {@code [state d|s|f|c, version index, start (seconds after t0), duration ms, "parent:fingerprint ..."]}.
 */
final class RunPageData {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final int THUMB_WIDTH = 240;
  static final int THUMB_HEIGHT = 80;

  private RunPageData() {}

  /**
   * @param outputsHref the outputs folder relative to the page, ending in {@code /}
   * @param thumbnails how many items get a spectrogram thumbnail at most
   */
  static ObjectNode build(ResolvedGraph graph, Ports ports, Ledger ledger, String outputsHref, int thumbnails,
      Instant now) throws IOException {
    List<String> order = graph.graph().topologicalOrder();
    ObjectNode root = JSON.createObjectNode();
    root.put("graph", graph.graph().name());
    root.put("generated", now.toString());
    root.put("outputs", outputsHref);
    String loudness = stepUsing(graph, "loudness");
    String tempo = stepUsing(graph, "tempo");
    String image = null;
    for (String s : order) if (image == null && graph.outputs(s).contains("png")) image = s;
    root.put("loudness", loudness);
    root.put("tempo", tempo);
    root.put("image", image);

    Map<String, Map<String, LedgerRecord>> byItem = new TreeMap<>();
    for (String s : order) for (LedgerRecord r : ledger.records(s)) {
      if (r.state() != null) byItem.computeIfAbsent(r.key().item(), k -> new HashMap<>()).put(s, r);
    }
    long t0 = Long.MAX_VALUE;
    for (Map<String, LedgerRecord> m : byItem.values()) for (LedgerRecord r : m.values()) {
      if (r.started() != null) t0 = Math.min(t0, r.started().getEpochSecond());
    }
    if (t0 == Long.MAX_VALUE) t0 = now.getEpochSecond();
    root.put("t0", t0);

    ArrayNode steps = root.putArray("steps");
    Map<String, ObjectNode> counts = new LinkedHashMap<>();
    for (String s : order) {
      StepSpec spec = graph.graph().step(s);
      ObjectNode o = steps.addObject();
      o.put("name", s);
      o.put("kind", spec.kind() == StepKind.JOB ? "job" : "function");
      if (spec.gpu() != null) o.put("gpu", spec.gpu());
      o.put("uses", spec.uses() != null ? spec.uses() : spec.className());
      o.put("version", graph.blueprint(s).version());
      spec.from().forEach(o.withArray("from")::add);
      graph.outputs(s).forEach(o.withArray("outputs")::add);
      ObjectNode c = o.putObject("counts");
      for (String col : List.of("done", "stale", "failed", "claimed")) c.put(col, 0);
      counts.put(s, c);
    }

    List<String> versions = new ArrayList<>();
    Map<String, Map<String, List<String>>> failures = new LinkedHashMap<>(); // reason -> step -> items
    Map<String, Map<String, List<String>>> stale = new LinkedHashMap<>();
    ArrayNode items = root.putArray("items");
    ObjectNode thumbs = root.putObject("thumbs");
    for (Map.Entry<String, Map<String, LedgerRecord>> e : byItem.entrySet()) {
      String item = e.getKey();
      ArrayNode row = items.addArray().add(item);
      for (String s : order) {
        LedgerRecord r = e.getValue().get(s);
        if (r == null) {
          row.add(0);
          continue;
        }
        String state;
        switch (r.state()) {
          case DONE -> {
            String why = Freshness.staleReason(graph, ports, r);
            state = why == null ? "d" : "s";
            if (why != null) group(stale, why, item, s);
          }
          case FAILED -> {
            state = "f";
            group(failures, r.error() == null ? "unknown" : r.error(), item, s);
          }
          default -> state = "c";
        }
        counts.get(s).put(column(state), counts.get(s).get(column(state)).asInt() + 1);
        ArrayNode cell = row.addArray().add(state);
        String v = r.version() == null ? "" : r.version();
        int vi = versions.indexOf(v);
        if (vi < 0) {
          versions.add(v);
          vi = versions.size() - 1;
        }
        cell.add(vi);
        cell.add(r.started() == null ? -1 : r.started().getEpochSecond() - t0);
        cell.add(r.started() == null || r.finished() == null ? -1
            : Math.max(0, r.finished().toEpochMilli() - r.started().toEpochMilli()));
        cell.add(fingerprints(graph, s, r));
      }
      row.add(number(ports, loudness, item, "integrated_lufs"));
      row.add(number(ports, tempo, item, "bpm"));
      if (image != null && thumbs.size() < thumbnails && e.getValue().containsKey(image)) {
        String uri = thumbnail(ports, Layout.outputKey(image, item, "png"));
        if (uri != null) thumbs.put(item, uri);
      }
    }
    versions.forEach(root.putArray("versions")::add);
    root.set("failures", grouped(failures));
    root.set("stale", grouped(stale));
    return root;
  }

  private static String column(String state) {
    return switch (state) {
      case "d" -> "done";
      case "s" -> "stale";
      case "f" -> "failed";
      default -> "claimed";
    };
  }

  private static String stepUsing(ResolvedGraph graph, String transform) {
    for (String s : graph.graph().topologicalOrder()) {
      if (transform.equals(graph.graph().step(s).uses())) return s;
    }
    return null;
  }

  /**
   * Reasons are grouped with the item's own name taken out ({@code t1.wav: not audio} and {@code
   * t2.wav: not audio} are one reason).
   */
  private static void group(Map<String, Map<String, List<String>>> groups, String reason, String item, String step) {
    // Only where the id stands as a name (a path segment, before an extension), so "a" leaves "bad" alone.
    String key = reason.replaceAll("(?<![^\\s/'\"(])" + java.util.regex.Pattern.quote(item) + "(?![^\\s.:'\")])",
        java.util.regex.Matcher.quoteReplacement("{item}"));
    groups.computeIfAbsent(key, k -> new LinkedHashMap<>()).computeIfAbsent(step, k -> new ArrayList<>()).add(item);
  }

  /** Largest group first: {@code [{reason, count, steps: {step: [items]}}]}. */
  private static ArrayNode grouped(Map<String, Map<String, List<String>>> groups) {
    ArrayNode out = JSON.createArrayNode();
    groups.entrySet().stream()
        .sorted((a, b) -> Integer.compare(size(b.getValue()), size(a.getValue())))
        .forEach(g -> {
          ObjectNode o = out.addObject().put("reason", g.getKey()).put("count", size(g.getValue()));
          ObjectNode st = o.putObject("steps");
          g.getValue().forEach((step, list) -> list.forEach(st.withArray(step)::add));
        });
    return out;
  }

  private static int size(Map<String, List<String>> m) {
    return m.values().stream().mapToInt(List::size).sum();
  }

  /** {@code parent:abcdef012345} per recorded input (the input object of a root is {@code input}), 12 digits each. */
  private static String fingerprints(ResolvedGraph graph, String step, LedgerRecord r) {
    List<String> parents = graph.graph().parents(step);
    StringBuilder b = new StringBuilder();
    new TreeMap<>(r.inputs()).forEach((uri, fp) -> {
      String from = "input";
      for (String p : parents) if (uri.contains("/" + p + "/")) from = p;
      String digits = fp.substring(fp.indexOf(':') + 1);
      if (b.length() > 0) b.append(' ');
      b.append(from).append(':').append(digits, 0, Math.min(12, digits.length()));
    });
    return b.toString();
  }

  private static JsonNode number(Ports ports, String step, String item, String field) {
    if (step == null) return JSON.nullNode();
    try {
      var file = ports.output().localFile(Layout.outputKey(step, item, "json"));
      if (file.isEmpty()) return JSON.nullNode();
      JsonNode v = JSON.readTree(file.get().toFile()).get(field);
      return v != null && v.isNumber() ? v : JSON.nullNode();
    } catch (IOException | RuntimeException e) {
      return JSON.nullNode(); // an unreadable result shows as no value; its step's record tells why
    }
  }

  /** The PNG scaled to a thumbnail, as a data URI; null when it cannot be read. */
  static String thumbnail(Ports ports, String key) {
    try {
      var file = ports.output().localFile(key);
      if (file.isEmpty()) return null;
      BufferedImage src;
      try (InputStream in = java.nio.file.Files.newInputStream(file.get())) {
        src = ImageIO.read(in);
      }
      if (src == null) return null;
      BufferedImage dst = new BufferedImage(THUMB_WIDTH, THUMB_HEIGHT, BufferedImage.TYPE_INT_RGB);
      Graphics2D g = dst.createGraphics();
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.drawImage(src, 0, 0, THUMB_WIDTH, THUMB_HEIGHT, null);
      g.dispose();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ImageIO.write(dst, "png", out);
      return "data:image/png;base64," + Base64.getEncoder().encodeToString(out.toByteArray());
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
