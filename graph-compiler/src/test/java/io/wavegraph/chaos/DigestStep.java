package io.wavegraph.chaos;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.wavegraph.core.step.Step;
import io.wavegraph.core.step.StepInput;
import io.wavegraph.core.step.StepOutput;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;

/**
 * The chaos graphs' last step (a join where it has two parents): writes {@code {item}.json}, the
 * SHA-256 of each parent's primary output, so the whole graph's result is checked byte for byte.
 *
 * <p>It can be made to run past its timeout once: with {@code WAVEGRAPH_CHAOS_STALL=ITEM:SECONDS:DIR}
 * in the environment, the first run of {@code ITEM} (the first to create {@code DIR/stalled}) sleeps
 * {@code SECONDS} before it works, interruptibly; every later run works at once. Without the
 * variable (a clean run) it never stalls.
 */
public final class DigestStep implements Step {
  @Override
  public List<String> outputs() {
    return List.of("json");
  }

  @Override
  public void process(StepInput in, StepOutput out) throws Exception {
    stallOnce(in.item());
    TreeMap<String, String> digests = new TreeMap<>();
    for (String p : in.parents()) digests.put(p, sha256(in.file(p)));
    StringBuilder json = new StringBuilder("{\"item\":\"").append(in.item()).append("\",\"parents\":{");
    String sep = "";
    for (var e : digests.entrySet()) {
      json.append(sep).append('"').append(e.getKey()).append("\":\"").append(e.getValue()).append('"');
      sep = ",";
    }
    Files.writeString(out.file("json"), json.append("}}\n"), UTF_8);
  }

  private static void stallOnce(String item) throws IOException, InterruptedException {
    String spec = System.getenv("WAVEGRAPH_CHAOS_STALL");
    if (spec == null || spec.isBlank()) return;
    String[] p = spec.split(":", 3);
    if (!p[0].equals(item)) return;
    try {
      Files.createFile(Path.of(p[2], "stalled"));
    } catch (java.nio.file.FileAlreadyExistsException done) {
      return;
    }
    Thread.sleep((long) (Double.parseDouble(p[1]) * 1000));
  }

  static String sha256(Path f) throws IOException {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
