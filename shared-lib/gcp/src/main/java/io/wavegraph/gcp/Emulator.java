package io.wavegraph.gcp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One of gcloud's local emulators (Pub/Sub or Firestore), started as a child process bound to a
 * free port on 127.0.0.1 only, and stopped with its whole process tree on {@link #close()}.
 *
 * <p>The emulators ship with the gcloud SDK ({@code platform/pubsub-emulator}, {@code
 * platform/cloud-firestore-emulator}); {@link #sdkRoot()} finds it without network access.
 */
public final class Emulator implements AutoCloseable {

  /** Which emulator, where it lives under the SDK root, and how to start it. */
  public enum Kind {
    PUBSUB("platform/pubsub-emulator/bin/cloud-pubsub-emulator", "PUBSUB_EMULATOR_HOST"),
    FIRESTORE("platform/cloud-firestore-emulator/cloud_firestore_emulator", "FIRESTORE_EMULATOR_HOST");

    private final String launcher;
    private final String hostVariable;

    Kind(String launcher, String hostVariable) {
      this.launcher = launcher;
      this.hostVariable = hostVariable;
    }

    /** The environment variable that names a running emulator of this kind ({@code host:port}). */
    public String hostVariable() {
      return hostVariable;
    }

    /** The launcher script under an SDK root. */
    public Path launcher(Path sdkRoot) {
      return sdkRoot.resolve(launcher);
    }
  }

  private static final List<String> COMMON_ROOTS = List.of(
      "/usr/lib/google-cloud-sdk", "/usr/share/google-cloud-sdk", "/opt/google-cloud-sdk",
      "/google-cloud-sdk", System.getProperty("user.home") + "/google-cloud-sdk",
      "/snap/google-cloud-cli/current");

  private final Kind kind;
  private final Process process;
  private final String host;
  private final Path log;

  private Emulator(Kind kind, Process process, String host, Path log) {
    this.kind = kind;
    this.process = process;
    this.host = host;
    this.log = log;
  }

  /**
   * The gcloud SDK root: {@code CLOUDSDK_ROOT_DIR} when set, else a common install path, else the
   * directory above the {@code gcloud} on the PATH, else what {@code gcloud info} says (slow: ~10 s).
   */
  public static Optional<Path> sdkRoot() {
    List<Path> candidates = new ArrayList<>();
    String env = System.getenv("CLOUDSDK_ROOT_DIR");
    if (env != null && !env.isBlank()) candidates.add(Path.of(env));
    COMMON_ROOTS.forEach(p -> candidates.add(Path.of(p)));
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      Path gcloud = Path.of(dir, "gcloud");
      if (!dir.isEmpty() && Files.isExecutable(gcloud)) {
        try {
          Path real = gcloud.toRealPath();
          if (real.getParent() != null && real.getParent().getParent() != null) {
            candidates.add(real.getParent().getParent());
          }
        } catch (IOException ignored) {
          // a dangling link: try the next candidate
        }
      }
    }
    for (Path c : candidates) {
      if (Files.isDirectory(c.resolve("platform"))) return Optional.of(c);
    }
    return gcloudInfo();
  }

  /** True when the SDK and this emulator are installed. */
  public static boolean isInstalled(Kind kind) {
    return sdkRoot().map(r -> Files.isExecutable(kind.launcher(r))).orElse(false);
  }

  /** Why this emulator cannot be started here, or empty when it can. */
  public static Optional<String> whyUnavailable(Kind kind) {
    Optional<Path> root = sdkRoot();
    if (root.isEmpty()) return Optional.of("no gcloud SDK found (looked at CLOUDSDK_ROOT_DIR, " + COMMON_ROOTS + ", PATH)");
    Path launcher = kind.launcher(root.get());
    if (!Files.isExecutable(launcher)) {
      return Optional.of("the gcloud SDK at " + root.get() + " has no " + kind + " emulator (" + launcher + ")");
    }
    return Optional.empty();
  }

  /**
   * Starts the emulator on a free loopback port and waits until it answers HTTP, at most {@code
   * timeout}. Its heap is capped at {@code heap} (e.g. {@code 256m}).
   *
   * @throws IllegalStateException when it is not installed or does not come up in time
   */
  public static Emulator start(Kind kind, String heap, Duration timeout) {
    Path root = sdkRoot().orElseThrow(() -> new IllegalStateException(whyUnavailable(kind).orElse("no SDK")));
    Path launcher = kind.launcher(root);
    int port = freePort();
    String host = "127.0.0.1:" + port;
    List<String> command = new ArrayList<>();
    command.add(launcher.toString());
    if (kind == Kind.FIRESTORE) command.add("start");
    command.add("--host=127.0.0.1");
    command.add("--port=" + port);
    try {
      Path log = Files.createTempFile("wavegraph-" + kind.name().toLowerCase() + "-emulator", ".log");
      ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
      // The Pub/Sub launcher reads JAVA_OPTS; the Firestore one overrides JVM_FLAGS, so use the JVM's own variable.
      pb.environment().put("JAVA_OPTS", "-Xmx" + heap);
      if (kind == Kind.FIRESTORE) pb.environment().put("JAVA_TOOL_OPTIONS", "-Xmx" + heap);
      Emulator e = new Emulator(kind, pb.start(), host, log);
      e.awaitReady(timeout);
      return e;
    } catch (IOException ex) {
      throw new UncheckedIOException("cannot start the " + kind + " emulator: " + ex.getMessage(), ex);
    }
  }

  /** {@code 127.0.0.1:port}. */
  public String host() {
    return host;
  }

  public Kind kind() {
    return kind;
  }

  private void awaitReady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(kind + " emulator exited with " + process.exitValue() + "; log: " + tail());
      }
      if (answers(host)) return;
      try {
        Thread.sleep(100); // polling a child process coming up: there is nothing to wait on
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        close();
        throw new IllegalStateException("interrupted waiting for the " + kind + " emulator", e);
      }
    }
    close();
    throw new IllegalStateException(kind + " emulator did not answer on " + host + " within " + timeout + "; log: " + tail());
  }

  /** True when something at {@code host} answers {@code GET /} with 200 (both emulators say "Ok"). */
  public static boolean answers(String host) {
    try {
      HttpURLConnection c = (HttpURLConnection) URI.create("http://" + host + "/").toURL().openConnection();
      c.setConnectTimeout(500);
      c.setReadTimeout(1000);
      try {
        return c.getResponseCode() == 200;
      } finally {
        c.disconnect();
      }
    } catch (IOException e) {
      return false;
    }
  }

  private String tail() {
    try {
      String s = Files.readString(log, StandardCharsets.UTF_8);
      return s.length() > 2000 ? s.substring(s.length() - 2000) : s;
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** Stops the emulator and every process it started (the launchers are scripts that fork a JVM). */
  @Override
  public void close() {
    List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
    tree.forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      for (ProcessHandle h : tree) h.onExit().get(10, TimeUnit.SECONDS);
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      if (e instanceof InterruptedException) Thread.currentThread().interrupt();
    }
    tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    if (process.isAlive()) process.destroyForcibly();
    try {
      Files.deleteIfExists(log);
    } catch (IOException ignored) {
      // a temp file: the OS cleans up
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Optional<Path> gcloudInfo() {
    try {
      Process p = new ProcessBuilder("gcloud", "info", "--format=value(installation.sdk_root)")
          .redirectErrorStream(false).start();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return Optional.empty();
      }
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      return out.isEmpty() || p.exitValue() != 0 ? Optional.empty() : Optional.of(Path.of(out));
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  @Override
  public String toString() {
    return kind + " emulator at " + host;
  }
}
