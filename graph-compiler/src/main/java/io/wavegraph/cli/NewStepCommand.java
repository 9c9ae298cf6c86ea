package io.wavegraph.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "new-step", description = {
    "Writes a small Maven project for a step of your own: the step class, a test that runs it through the test kit's "
        + "StepHarness, a graph that uses it, and a README. Build it with `mvn -q package` (after the first "
        + "scripts/wavegraph, which installs the Wavegraph artifacts), then run it with "
        + "WAVEGRAPH_CLASSPATH=DIR/target/NAME.jar scripts/wavegraph run DIR/graph.yaml --input AUDIO."})
final class NewStepCommand implements Callable<Integer> {
  /** The Wavegraph artifacts the project builds against: this build's version. */
  static final String WAVEGRAPH_VERSION = "0.1.0-SNAPSHOT";

  @Parameters(index = "0", paramLabel = "NAME", description = "The step's name in graphs, e.g. peak ([a-z][a-z0-9-]*).")
  String name;

  @Option(names = "--package", paramLabel = "P", description = "The Java package (default com.example.<name>).")
  String pkg;

  @Option(names = "--dir", required = true, paramLabel = "DIR", description = "Where to write the project (must not exist or be empty).")
  Path dir;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (!name.matches("[a-z][a-z0-9-]{0,40}")) {
      throw new Main.UsageException("step name '" + name + "' must match [a-z][a-z0-9-]* (it names the step in graphs and the jar)");
    }
    String p = pkg != null ? pkg : "com.example." + name.replace("-", "");
    if (!p.matches("[a-z_][a-z0-9_]*(\\.[a-z_][a-z0-9_]*)*")) {
      throw new Main.UsageException("--package '" + p + "' is not a Java package name (lower-case segments separated by dots)");
    }
    if (Files.exists(dir) && (!Files.isDirectory(dir) || Files.list(dir).findAny().isPresent())) {
      throw new Main.UsageException("--dir " + dir + " already exists and is not empty; choose a new folder");
    }
    Map<String, String> files = files(name, p);
    for (Map.Entry<String, String> f : files.entrySet()) {
      Path target = dir.resolve(f.getKey());
      Files.createDirectories(target.getParent());
      Files.writeString(target, f.getValue(), StandardCharsets.UTF_8);
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println("wrote " + files.size() + " files to " + dir + ":");
    files.keySet().forEach(f -> out.println("  " + f));
    out.println("next: (cd " + dir + " && mvn -q package) && WAVEGRAPH_CLASSPATH=" + dir.resolve("target/" + name + ".jar")
        + " scripts/wavegraph run " + dir.resolve("graph.yaml") + " --input examples/audio");
    out.flush();
    return Main.OK;
  }

  /** The project's files by relative path. */
  static Map<String, String> files(String name, String pkg) {
    String cls = className(name);
    String path = pkg.replace('.', '/');
    Map<String, String> files = new LinkedHashMap<>();
    files.put("pom.xml", pom(name, pkg));
    files.put("src/main/java/" + path + "/" + cls + ".java", step(name, pkg, cls));
    files.put("src/test/java/" + path + "/" + cls + "Test.java", test(name, pkg, cls));
    files.put("graph.yaml", graph(name, pkg, cls));
    files.put("README.md", readme(name, pkg, cls));
    files.put(".gitignore", "target/\n.wavegraph/\n");
    return files;
  }

  /** {@code peak-level} -> {@code PeakLevelStep}. */
  static String className(String name) {
    StringBuilder b = new StringBuilder();
    for (String part : name.split("-")) {
      if (!part.isEmpty()) b.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
    }
    return b.append("Step").toString();
  }

  private static String pom(String name, String pkg) {
    return """
        <?xml version="1.0" encoding="UTF-8"?>
        <project xmlns="http://maven.apache.org/POM/4.0.0"
                 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                 xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 https://maven.apache.org/xsd/maven-4.0.0.xsd">
          <modelVersion>4.0.0</modelVersion>
          <!-- Wavegraph's parent gives Java 17, JUnit and AssertJ, and the plugin versions. -->
          <parent>
            <groupId>io.wavegraph</groupId>
            <artifactId>wavegraph-parent</artifactId>
            <version>%2$s</version>
            <relativePath/>
          </parent>
          <groupId>%3$s</groupId>
          <artifactId>%1$s</artifactId>
          <version>0.1.0</version>

          <dependencies>
            <!-- provided: the wavegraph CLI and the cloud runtimes bring these; the jar holds only your code. -->
            <dependency>
              <groupId>io.wavegraph</groupId>
              <artifactId>wavegraph-core</artifactId>
              <version>%2$s</version>
              <scope>provided</scope>
            </dependency>
            <dependency>
              <groupId>io.wavegraph</groupId>
              <artifactId>wavegraph-audio</artifactId>
              <version>%2$s</version>
              <scope>provided</scope>
            </dependency>
            <dependency>
              <groupId>io.wavegraph</groupId>
              <artifactId>wavegraph-testkit</artifactId>
              <version>%2$s</version>
              <scope>test</scope>
            </dependency>
          </dependencies>

          <build>
            <finalName>%1$s</finalName>
          </build>
        </project>
        """.formatted(name, WAVEGRAPH_VERSION, pkg);
  }

  private static String step(String name, String pkg, String cls) {
    return """
        package %2$s;

        import com.fasterxml.jackson.databind.ObjectMapper;
        import io.wavegraph.audio.AudioDecoders;
        import io.wavegraph.audio.AudioFormatException;
        import io.wavegraph.audio.AudioSource;
        import io.wavegraph.core.step.BadInputException;
        import io.wavegraph.core.step.BadParameterException;
        import io.wavegraph.core.step.Params;
        import io.wavegraph.core.step.Step;
        import io.wavegraph.core.step.StepInput;
        import io.wavegraph.core.step.StepOutput;
        import java.nio.file.Files;
        import java.util.LinkedHashMap;
        import java.util.List;
        import java.util.Map;

        /**
         * {@code %1$s}: the sample peak of a track in dBFS, and whether it reaches {@code threshold_db}.
         * Output {@code json}: {@code {"peak_dbfs": -3.1, "clipping": false}}. Replace the body with your transform.
         */
        public final class %3$s implements Step {
          private static final ObjectMapper JSON = new ObjectMapper();
          private double thresholdDb;

          @Override
          public List<String> outputs() {
            return List.of("json");
          }

          @Override
          public void configure(Params params) throws BadParameterException {
            // Read every parameter here: one the graph gives that is never read is reported as unknown.
            thresholdDb = params.getDouble("threshold_db", -1.0, -120.0, 0.0);
          }

          @Override
          public void process(StepInput in, StepOutput out) throws Exception {
            double peak = 0;
            try (AudioSource source = AudioDecoders.open(in.file())) {
              float[] block = new float[source.channels() * 4096];
              int n;
              while ((n = source.read(block, 4096)) > 0) {
                for (int i = 0; i < n * source.channels(); i++) peak = Math.max(peak, Math.abs(block[i]));
              }
            } catch (AudioFormatException e) {
              // Bad input fails this item at once (no retry), with the reason in the ledger.
              throw new BadInputException(in.name() + ": " + e.getMessage(), e);
            }
            double db = peak > 0 ? 20 * Math.log10(peak) : -120.0;
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("peak_dbfs", Math.round(db * 100) / 100.0);
            result.put("clipping", db >= thresholdDb);
            Files.write(out.file("json"), JSON.writeValueAsBytes(result));
          }
        }
        """.formatted(name, pkg, cls);
  }

  private static String test(String name, String pkg, String cls) {
    return """
        package %2$s;

        import static org.assertj.core.api.Assertions.assertThat;
        import static org.assertj.core.api.Assertions.assertThatThrownBy;
        import static org.assertj.core.api.Assertions.within;

        import com.fasterxml.jackson.databind.JsonNode;
        import com.fasterxml.jackson.databind.ObjectMapper;
        import io.wavegraph.core.step.BadInputException;
        import io.wavegraph.testkit.StepHarness;
        import io.wavegraph.testkit.TestAudio;
        import java.nio.file.Files;
        import java.nio.file.Path;
        import org.junit.jupiter.api.Test;
        import org.junit.jupiter.api.io.TempDir;

        /** The step on real files through the test kit's harness, as the runtime would run it. */
        class %3$sTest {
          @TempDir Path dir;

          @Test
          void measuresThePeakOfASine() throws Exception {
            Path tone = Files.write(dir.resolve("tone.wav"), TestAudio.sineWav(440)); // 0.3 of full scale
            StepHarness.Result r = StepHarness.of(%3$s::new).named("%1$s").param("threshold_db", -12.0).run(tone);
            JsonNode json = new ObjectMapper().readTree(r.text("json"));
            assertThat(json.get("peak_dbfs").asDouble()).isCloseTo(-10.46, within(0.05));
            assertThat(json.get("clipping").asBoolean()).isTrue();
          }

          @Test
          void aFileThatIsNotAudioFailsTheItem() throws Exception {
            Path notes = Files.writeString(dir.resolve("notes.wav"), "not audio");
            assertThatThrownBy(() -> StepHarness.of(%3$s::new).run(notes))
                .isInstanceOf(BadInputException.class).hasMessageContaining("notes.wav");
          }

          @Test
          void aMisspeltParameterIsCaught() {
            assertThatThrownBy(() -> StepHarness.of(%3$s::new).param("treshold_db", -3.0).version())
                .hasMessageContaining("unknown parameter 'treshold_db'");
          }
        }
        """.formatted(name, pkg, cls);
  }

  private static String graph(String name, String pkg, String cls) {
    return """
        # A graph that runs the %1$s step after the built-in downsample. Run it with
        #   WAVEGRAPH_CLASSPATH=target/%1$s.jar scripts/wavegraph run graph.yaml --input AUDIO_DIR
        name: %1$s-demo
        storage:
          input: gs://my-raw-audio
          output: gs://my-audio-features
        steps:
          downsample:
            uses: downsample
            params: {rate: 16000, channels: 1}
          %1$s:
            class: %2$s.%3$s
            from: [downsample]
            params: {threshold_db: -1.0}
        """.formatted(name, pkg, cls);
  }

  private static String readme(String name, String pkg, String cls) {
    return """
        # %1$s: a Wavegraph step

        `src/main/java/%4$s/%3$s.java` is the step; `src/test/java/%4$s/%3$sTest.java` tests it on real
        files with the test kit's `StepHarness` (it also fails on a parameter the step never reads and on
        a declared output it did not write).

        Build (the Wavegraph artifacts come from your local Maven repository, where the first
        `scripts/wavegraph` of the Wavegraph checkout installed them):

            mvn -q package

        Run it in a graph, from the Wavegraph checkout (DIR is this folder):

            WAVEGRAPH_CLASSPATH=%5$s/target/%1$s.jar scripts/wavegraph run %5$s/graph.yaml --input examples/audio

        Use it in any graph by its class:

        ```yaml
        steps:
          %1$s:
            class: %2$s.%3$s
            from: [downsample]
            params: {threshold_db: -1.0}
        ```

        Its version covers a hash of its code, so results made by older code are redone after a change.
        Override `version()` and return `false` from `versionCoversCode()` to pin it when a change does not
        alter outputs.
        """.formatted(name, pkg, cls, pkg.replace('.', '/'), "DIR");
  }
}
