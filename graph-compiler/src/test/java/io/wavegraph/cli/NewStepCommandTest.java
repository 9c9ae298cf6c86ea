package io.wavegraph.cli;

import static io.wavegraph.cli.CliFixture.cli;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wavegraph.testkit.Skips;
import io.wavegraph.testkit.TestAudio;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user's step from {@code new-step} to a run: scaffold, {@code mvn -o -q package} (its own test
 * included), then the graph through the CLI with the jar on the class path, as
 * WAVEGRAPH_CLASSPATH puts it there.
 *
 * <p>The project builds against this build's Wavegraph artifacts, not whatever an earlier install
 * left in ~/.m2 (and without writing there): the test lays the reactor's compiled modules out as a
 * private local repository whose other entries link to ~/.m2's, and builds offline against it.
 */
class NewStepCommandTest {
  @TempDir Path tmp;

  private static final Path REPO = Path.of("..").toAbsolutePath().normalize();

  @Test
  void scaffoldsAProjectThatBuildsAndRunsInAGraph() throws Exception {
    long start = System.nanoTime();
    Path project = tmp.resolve("peak");
    var made = cli("new-step", "peak", "--package", "org.acme.peak", "--dir", project.toString());
    assertThat(made.exit()).as(made.err()).isZero();
    assertThat(project.resolve("src/main/java/org/acme/peak/PeakStep.java")).exists();
    assertThat(project.resolve("src/test/java/org/acme/peak/PeakStepTest.java")).content().contains("StepHarness");
    assertThat(project.resolve("README.md")).content().contains("class: org.acme.peak.PeakStep");

    Optional<String> mvn = onPath("mvn");
    Path m2 = Path.of(System.getProperty("user.home"), ".m2", "repository");
    Skips.unless(NewStepCommandTest.class, mvn.isEmpty() ? Optional.of("no mvn on the PATH: the scaffold was not built")
        : !Files.isDirectory(m2) ? Optional.of("no local Maven repository at " + m2) : Optional.empty());
    Path repo = privateRepository(m2);
    Process build = new ProcessBuilder(mvn.get(), "-o", "-q", "-B", "package", "-Dmaven.repo.local=" + repo)
        .directory(project.toFile()).redirectErrorStream(true).redirectOutput(tmp.resolve("mvn.log").toFile()).start();
    boolean finished;
    try {
      finished = build.waitFor(300, TimeUnit.SECONDS);
    } finally {
      if (build.isAlive()) build.destroyForcibly();
      unlink(repo); // before @TempDir cleans up, which would warn about each link
    }
    assertThat(finished).as("mvn package within 5 minutes").isTrue();
    String log = Files.readString(tmp.resolve("mvn.log"));
    if (build.exitValue() != 0 && log.contains("offline mode")) {
      Skips.unless(NewStepCommandTest.class, Optional.of("the local Maven repository lacks a plugin or library the scaffold needs offline:\n" + log));
    }
    assertThat(build.exitValue()).as(log).isZero();
    Path jar = project.resolve("target/peak.jar");
    assertThat(jar).exists();

    // The graph the scaffold wrote, run through the CLI with the jar on the class path.
    Path input = tmp.resolve("audio");
    Files.createDirectories(input);
    Files.write(input.resolve("tone.wav"), TestAudio.sineWav(440));
    Path work = tmp.resolve("work");
    ClassLoader before = Thread.currentThread().getContextClassLoader();
    try (URLClassLoader withJar = new URLClassLoader(new URL[] {jar.toUri().toURL()}, before)) {
      Thread.currentThread().setContextClassLoader(withJar);
      var run = cli("run", project.resolve("graph.yaml").toString(), "--input", input.toString(), "--workdir",
          work.toString(), "--json");
      assertThat(run.exit()).as(run.err()).isZero();
      assertThat(run.json().at("/steps/peak/processed").asInt()).isEqualTo(1);
    } finally {
      Thread.currentThread().setContextClassLoader(before);
    }
    JsonNode out = CliFixture.JSON.readTree(work.resolve("outputs/peak/tone.json").toFile());
    assertThat(out.get("peak_dbfs").asDouble()).isBetween(-11.5, -9.5);
    assertThat(out.get("clipping").asBoolean()).isFalse();
    System.out.printf("new-step to a run: %.1f s (scaffold, mvn -o -q package with its test, run)%n",
        (System.nanoTime() - start) / 1e9);
  }

  @Test
  void refusesABadNameAndAFolderInUse() throws Exception {
    assertThat(cli("new-step", "Peak", "--dir", tmp.resolve("x").toString()).exit()).isEqualTo(Main.BAD_INPUT);
    assertThat(cli("new-step", "peak", "--package", "Org.Acme", "--dir", tmp.resolve("y").toString()).err())
        .contains("not a Java package name");
    Files.createDirectories(tmp.resolve("z"));
    Files.writeString(tmp.resolve("z/keep.txt"), "mine");
    var inUse = cli("new-step", "peak", "--dir", tmp.resolve("z").toString());
    assertThat(inUse.exit()).isEqualTo(Main.BAD_INPUT);
    assertThat(inUse.err()).contains("not empty");
    assertThat(tmp.resolve("z/keep.txt")).content().isEqualTo("mine");
    assertThat(NewStepCommand.className("peak-level")).isEqualTo("PeakLevelStep");
  }

  /**
   * A local repository holding this build's parent pom and the core, audio and testkit modules as
   * installed artifacts, and everything else through links to {@code m2}.
   */
  private Path privateRepository(Path m2) throws IOException {
    Path repo = tmp.resolve("m2");
    Files.createDirectories(repo);
    try (Stream<Path> top = Files.list(m2)) {
      for (Path p : top.toList()) {
        if (p.getFileName().toString().equals("io")) continue;
        Files.createSymbolicLink(repo.resolve(p.getFileName().toString()), p);
      }
    }
    Path io = Files.createDirectories(repo.resolve("io"));
    if (Files.isDirectory(m2.resolve("io"))) {
      try (Stream<Path> s = Files.list(m2.resolve("io"))) {
        for (Path p : s.toList()) {
          if (!p.getFileName().toString().equals("wavegraph")) Files.createSymbolicLink(io.resolve(p.getFileName().toString()), p);
        }
      }
    }
    String v = NewStepCommand.WAVEGRAPH_VERSION;
    assertThat(Files.readString(REPO.resolve("pom.xml"))).as("the scaffold's Wavegraph version is this build's").contains("<version>" + v + "</version>");
    Path parent = Files.createDirectories(io.resolve("wavegraph/wavegraph-parent/" + v));
    Files.copy(REPO.resolve("pom.xml"), parent.resolve("wavegraph-parent-" + v + ".pom"));
    for (String module : List.of("core", "audio", "testkit")) {
      Path dir = Files.createDirectories(io.resolve("wavegraph/wavegraph-" + module + "/" + v));
      Files.copy(REPO.resolve("shared-lib/" + module + "/pom.xml"), dir.resolve("wavegraph-" + module + "-" + v + ".pom"));
      jar(REPO.resolve("shared-lib/" + module + "/target/classes"), dir.resolve("wavegraph-" + module + "-" + v + ".jar"));
    }
    return repo;
  }

  private static void unlink(Path repo) throws IOException {
    for (Path dir : List.of(repo, repo.resolve("io"))) {
      try (Stream<Path> s = Files.list(dir)) {
        for (Path p : s.toList()) if (Files.isSymbolicLink(p)) Files.delete(p);
      }
    }
  }

  private static void jar(Path classes, Path jar) throws IOException {
    assertThat(classes).as("compiled by the reactor before this module's tests").isDirectory();
    try (OutputStream f = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(f);
        Stream<Path> all = Files.walk(classes)) {
      for (Path p : all.filter(Files::isRegularFile).sorted().toList()) {
        out.putNextEntry(new JarEntry(classes.relativize(p).toString().replace(File.separatorChar, '/')));
        Files.copy(p, out);
        out.closeEntry();
      }
    }
  }

  private static Optional<String> onPath(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, name))) return Optional.of(Path.of(dir, name).toString());
    }
    return Optional.empty();
  }
}
