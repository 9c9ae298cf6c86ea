package io.wavegraph.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/** Prints per-step tables for people and as one JSON object for programs. */
final class Report {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Report() {}

  static void table(PrintWriter w, List<String> columns, Map<String, Map<String, Integer>> rows) {
    int width = Math.max(4, rows.keySet().stream().mapToInt(String::length).max().orElse(4));
    StringBuilder head = new StringBuilder(String.format("%-" + width + "s", "step"));
    columns.forEach(c -> head.append(String.format("  %9s", c)));
    w.println(head);
    rows.forEach((step, counts) -> {
      StringBuilder line = new StringBuilder(String.format("%-" + width + "s", step));
      columns.forEach(c -> line.append(String.format("  %9d", counts.getOrDefault(c, 0))));
      w.println(line);
    });
  }

  static void failures(PrintWriter w, String title, List<RunTally.Failure> failures) {
    if (failures.isEmpty()) return;
    w.println(title);
    failures.forEach(f -> w.println("  " + f.step() + "  " + f.item() + ": " + f.error()));
  }

  static ObjectNode json(Map<String, Map<String, Integer>> rows, List<RunTally.Failure> failures) {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode steps = root.putObject("steps");
    rows.forEach((step, counts) -> {
      ObjectNode s = steps.putObject(step);
      counts.forEach(s::put);
    });
    ArrayNode f = root.putArray("failures");
    failures.forEach(x -> f.addObject().put("step", x.step()).put("item", x.item()).put("error", x.error()));
    return root;
  }

  static String write(ObjectNode node) {
    try {
      return JSON.writeValueAsString(node);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
