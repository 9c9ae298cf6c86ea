package io.wavegraph.compiler;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code tools/hcl-check/check.js}: parses every Terraform file under the given folders (HCL
 * and JSON) and checks resource types, attribute and block names, required attributes and module
 * arguments against the google provider 6.50.0 schema. Needs node and the tool's installed
 * {@code node_modules} ({@code npm ci --prefix tools/hcl-check}); {@link #find} says whether they are.
 */
public final class TerraformCheck {
  private final Path tool;

  private TerraformCheck(Path tool) {
    this.tool = tool;
  }

  /**
   * The checker in {@code $WAVEGRAPH_HCL_CHECK} or in {@code tools/hcl-check} of the current folder
   * or one above it, when it and node are installed.
   */
  public static Optional<TerraformCheck> find() {
    List<Path> candidates = new ArrayList<>();
    String env = System.getenv("WAVEGRAPH_HCL_CHECK");
    if (env != null) candidates.add(Path.of(env));
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) candidates.add(p.resolve("tools/hcl-check"));
    for (Path c : candidates) {
      if (Files.isRegularFile(c.resolve("check.js")) && Files.isDirectory(c.resolve("node_modules/@cdktf/hcl2json"))
          && Files.isDirectory(c.resolve("node_modules/@cdktf/provider-google")) && nodeWorks()) {
        return Optional.of(new TerraformCheck(c));
      }
    }
    return Optional.empty();
  }

  private static boolean nodeWorks() {
    try {
      Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The checker's JSON report; {@code ok} when it found no problem. */
  public record Report(boolean ok, String json) {}

  public Report run(List<Path> targets) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("node", tool.resolve("check.js").toString()));
    targets.forEach(t -> cmd.add(t.toAbsolutePath().toString()));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(300, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("the Terraform check did not finish in 300 s");
    }
    return new Report(p.exitValue() == 0, out);
  }
}
