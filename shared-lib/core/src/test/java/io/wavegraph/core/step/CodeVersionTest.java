package io.wavegraph.core.step;

import static org.assertj.core.api.Assertions.assertThat;

import io.wavegraph.core.graph.StepSpec;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A step's version covers its code unless it pins it, so a forgotten version() cannot hide stale results. */
class CodeVersionTest {
  @TempDir Path dir;

  /** Compiles {@code com.example.Gain} (and a helper it uses) with the given helper body, and loads it. */
  private Step compile(String name, String helperBody, String extra) throws Exception {
    Path src = dir.resolve(name + "/src/com/example");
    Path out = dir.resolve(name + "/classes");
    Files.createDirectories(src);
    Files.createDirectories(out);
    Files.writeString(src.resolve("Gain.java"), """
        package com.example;
        public class Gain implements io.wavegraph.core.step.Step {
          %s
          public void process(io.wavegraph.core.step.StepInput in, io.wavegraph.core.step.StepOutput out) {
            Helper.scale(2.0);
          }
        }
        """.formatted(extra));
    Files.writeString(src.resolve("Helper.java"), "package com.example; class Helper { static double scale(double x) { "
        + helperBody + " } }");
    String cp = Path.of(Step.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    int rc = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-classpath", cp, "-d", out.toString(),
        src.resolve("Gain.java").toString(), src.resolve("Helper.java").toString());
    assertThat(rc).as("javac").isZero();
    URLClassLoader loader = new URLClassLoader(new URL[] {out.toUri().toURL()}, Step.class.getClassLoader());
    return (Step) loader.loadClass("com.example.Gain").getConstructor().newInstance();
  }

  private static String version(Step step) throws Exception {
    Supplier<Step> s = () -> step;
    StepFactory f = new StepFactory(Map.of("gain", s), CodeVersionTest.class.getClassLoader());
    return f.blueprint(new StepSpec("g", "gain", null, List.of(), Map.of(), 0, null, null, null, null, null, null, null)).version();
  }

  @Test
  void aChangeInAClassTheStepUsesChangesItsVersionWithoutABump() throws Exception {
    String before = version(compile("a", "return x * 2;", ""));
    String same = version(compile("b", "return x * 2;", ""));
    String changed = version(compile("c", "return x * 3;", ""));
    assertThat(before).as("identical builds give identical versions").isEqualTo(same).matches("1\\.[0-9a-f]{8}-[0-9a-f]{12}");
    assertThat(changed).as("changed code, same version()").isNotEqualTo(before).startsWith("1.");
  }

  @Test
  void aPinnedStepKeepsItsVersionAcrossCodeChanges() throws Exception {
    String pin = "public String version() { return \"7\"; } public boolean versionCoversCode() { return false; }";
    String before = version(compile("a", "return x * 2;", pin));
    String changed = version(compile("c", "return x * 3;", pin));
    assertThat(before).isEqualTo(changed).matches("7-[0-9a-f]{12}");
  }

  @Test
  void theStepApiAndLibrariesAreNotPartOfTheHash() {
    assertThat(CodeHash.codeBase("com/example/audio/MyStep")).isEqualTo("com/example/");
    assertThat(CodeHash.codeBase("Top")).isEmpty();
    assertThat(CodeHash.referencedClasses(classBytes(StepFactory.class))).contains("io/wavegraph/core/step/Params");
  }

  private static byte[] classBytes(Class<?> c) {
    try (var in = c.getResourceAsStream(c.getSimpleName() + ".class")) {
      return in.readAllBytes();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
