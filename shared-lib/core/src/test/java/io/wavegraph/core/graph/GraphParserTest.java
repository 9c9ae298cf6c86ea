package io.wavegraph.core.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wavegraph.core.step.BadParameterException;
import io.wavegraph.core.step.Params;
import io.wavegraph.core.step.Step;
import io.wavegraph.core.step.StepFactory;
import io.wavegraph.core.step.StepInput;
import io.wavegraph.core.step.StepOutput;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GraphParserTest {
  /** A transform with one integer parameter, to exercise parameter checks. */
  public static final class Scale implements Step {
    int factor;

    @Override
    public void configure(Params p) throws BadParameterException {
      factor = p.getInt("factor", 2, 1, 10);
    }

    @Override
    public List<String> outputs() {
      return List.of("bin");
    }

    @Override
    public void process(StepInput in, StepOutput out) {}
  }

  /** Not a step at all. */
  public static final class NotAStep {}

  private final GraphParser parser = new GraphParser(new StepFactory(Map.of("scale", Scale::new), getClass().getClassLoader()));

  private ResolvedGraph parse(String yaml) throws GraphException {
    return parser.parse(yaml, "g.yaml", null);
  }

  private List<String> problems(String yaml) {
    try {
      parse(yaml);
    } catch (GraphException e) {
      return e.problems().stream().map(GraphProblem::toString).toList();
    }
    throw new AssertionError("expected the graph to be refused");
  }

  @Test
  void readsTheDesignExample() throws Exception {
    ResolvedGraph g = parse("""
        name: catalog
        gcp:
          project: my-project
          region: europe-west1
        storage:
          input: gs://my-raw-audio
          output: gs://my-audio-features
        steps:
          downsample:
            uses: scale
            params: {factor: 3}
          loudness:
            uses: scale
            from: [downsample]
          tempo:
            uses: scale
            from: downsample
            retries: 5
            timeout: 300s
            memory: 2Gi
          separate:
            class: io.wavegraph.core.graph.GraphParserTest$Scale
            from: [downsample, tempo]
            kind: job
            gpu: nvidia-l4
            batch: {size: 64, wait: 10m}
        """);
    Graph graph = g.graph();
    assertThat(graph.name()).isEqualTo("catalog");
    assertThat(graph.roots()).containsExactly("downsample");
    assertThat(graph.children("downsample")).containsExactly("loudness", "tempo", "separate");
    assertThat(graph.step("tempo").retries()).isEqualTo(5);
    assertThat(graph.step("tempo").memory()).isEqualTo("2Gi");
    assertThat(graph.step("separate").kind()).isEqualTo(StepKind.JOB);
    assertThat(graph.step("separate").batch()).isEqualTo(new StepSpec.Batch(64, Duration.ofMinutes(10)));
    assertThat(graph.descendants("downsample")).containsExactlyInAnyOrder("loudness", "tempo", "separate");
    assertThat(graph.topologicalOrder()).containsExactly("downsample", "loudness", "tempo", "separate");
    assertThat(graph.storage().input()).isEqualTo("gs://my-raw-audio");
  }

  @Test
  void aStepVersionChangesWithItsParametersOnly() throws Exception {
    String a = parse("name: g\nsteps:\n  s: {uses: scale, params: {factor: 3}}\n  t: {uses: scale, from: s}\n").blueprint("s").version();
    String b = parse("name: g\nsteps:\n  s: {uses: scale, params: {factor: 4}}\n  t: {uses: scale, from: s}\n").blueprint("s").version();
    String c = parse("name: g\nsteps:\n  s: {uses: scale, params: {factor: 3}, retries: 1}\n").blueprint("s").version();
    assertThat(a).isNotEqualTo(b).matches("1\\.[0-9a-f]{8}-[0-9a-f]{12}");
    assertThat(c).isEqualTo(a);
  }

  @Test
  void aCycleIsReportedWithItsSteps() {
    assertThat(problems("""
        name: g
        steps:
          a: {uses: scale, from: [c]}
          b: {uses: scale, from: [a]}
          c: {uses: scale, from: [b]}
        """)).singleElement().asString()
        .startsWith("g.yaml:3:3: cycle:")
        .contains("a -> b -> c -> a");
  }

  @Test
  void unknownParentNamesTheLineColumnAndTheSteps() {
    assertThat(problems("""
        name: g
        steps:
          downsample: {uses: scale}
          loudness:
            uses: scale
            from: [downsampel]
        """)).containsExactly(
        "g.yaml:6:12: unknown parent 'downsampel' of step 'loudness' (steps: downsample, loudness)");
  }

  @Test
  void batchTasksDefaultsToOneAndIsCheckedWithItsPosition() throws Exception {
    assertThat(parse("name: g\nsteps:\n  a: {uses: scale, kind: job, image: europe-docker.pkg.dev/p/r/a:1, batch: {size: 8}}\n")
        .graph().step("a").batch()).isEqualTo(new StepSpec.Batch(8, Duration.ofMinutes(5), 1));
    assertThat(parse("name: g\nsteps:\n  a: {uses: scale, kind: job, image: europe-docker.pkg.dev/p/r/a:1, batch: {size: 8, tasks: 4}}\n")
        .graph().step("a").batch().tasks()).isEqualTo(4);
    assertThat(problems("""
        name: g
        steps:
          a:
            uses: scale
            kind: job
            image: europe-docker.pkg.dev/p/r/a:1
            batch: {size: 8, tasks: 10001}
          b:
            uses: scale
            kind: job
            image: europe-docker.pkg.dev/p/r/b:1
            batch: {tasks: many, shards: 2}
        """)).containsExactly(
        "g.yaml:7:29: 'batch.tasks' must be an integer between 1 and 10000, got '10001'",
        "g.yaml:12:20: 'batch.tasks' must be an integer between 1 and 10000, got 'many'",
        "g.yaml:12:26: unknown key 'shards' in 'batch' (known: size, tasks, wait)");
  }

  @Test
  void duplicateStepsAreReported() {
    assertThat(problems("""
        name: g
        steps:
          a: {uses: scale}
          a: {uses: scale}
        """)).containsExactly("g.yaml:4:3: duplicate step 'a'");
  }

  @Test
  void unknownTransformListsTheBuiltIns() {
    assertThat(problems("name: g\nsteps:\n  a: {uses: resample}\n"))
        .containsExactly("g.yaml:3:3: step 'a': unknown transform 'resample' (built-in transforms: scale)");
  }

  @Test
  void unknownOrWrongClassesAreReported() {
    assertThat(problems("name: g\nsteps:\n  a: {class: com.example.Missing}\n  b: {class: io.wavegraph.core.graph.GraphParserTest$NotAStep}\n"))
        .containsExactly(
            "g.yaml:3:3: step 'a': class 'com.example.Missing' is not on the classpath",
            "g.yaml:4:3: step 'b': class 'io.wavegraph.core.graph.GraphParserTest$NotAStep' does not implement io.wavegraph.core.step.Step");
  }

  @Test
  void badAndUnknownParametersPointAtTheParameter() {
    assertThat(problems("""
        name: g
        steps:
          a:
            uses: scale
            params:
              factor: 50
          b:
            uses: scale
            params:
              factr: 5
          c:
            uses: scale
            params: {factor: lots}
        """)).containsExactly(
        "g.yaml:6:7: step 'a': bad parameter: parameter 'factor' must be between 1 and 10, got 50",
        "g.yaml:10:7: step 'b': bad parameter: unknown parameter 'factr' for transform 'scale'",
        "g.yaml:13:14: step 'c': bad parameter: parameter 'factor' must be an integer, got 'lots'");
  }

  @Test
  void badNamesAndUnknownKeysAreReported() {
    assertThat(problems("""
        name: My_Graph
        storage: {input: s3://bucket}
        steps:
          Loud: {uses: scale}
          ok:
            uses: scale
            retry: 3
            memory: 4GB
            timeout: soon
            gpu: nvidia-l4
        """)).containsExactly(
        "g.yaml:1:7: bad graph name 'My_Graph': use lowercase letters, digits and '-', starting with a letter and not ending with '-'",
        "g.yaml:2:18: storage.input 's3://bucket' is not a Cloud Storage URI like gs://my-bucket or gs://my-bucket/prefix",
        "g.yaml:4:3: bad step name 'Loud': use lowercase letters, digits and '-', starting with a letter and not ending with '-'",
        "g.yaml:7:5: unknown key 'retry' in step 'ok' (known: batch, class, from, gpu, image, kind, max_instances, memory, params, retries, timeout, uses)",
        "g.yaml:8:13: 'memory' must be like 512Mi or 2Gi, between 128Mi and 32Gi, got '4GB'",
        "g.yaml:9:14: 'timeout' must be a duration like 300s, 10m or 1h, got 'soon'",
        "g.yaml:10:5: 'gpu' needs 'kind: job': functions have no GPUs");
  }

  /** A GPU that the built-in separate would not use (its kernels default to cpu) is refused where it is asked for. */
  @Test
  void aGpuThatSeparateWouldLeaveIdleIsRefused() {
    List<String> p = problems("""
        name: g
        steps:
          s:
            uses: separate
            kind: job
            gpu: nvidia-l4
          t:
            uses: separate
            kind: job
            gpu: nvidia-l4
            params: {kernels: cpu}
          u:
            uses: separate
            kind: job
            gpu: nvidia-l4
            params: {kernels: gpu}
        """);
    assertThat(p).contains(
        "g.yaml:6:5: step 's' asks for 'gpu: nvidia-l4' but would separate on the CPU (kernels: cpu): set params: {kernels: gpu} (its image: docs/batch-steps.md) or drop 'gpu'",
        "g.yaml:11:14: step 't' asks for 'gpu: nvidia-l4' but would separate on the CPU (kernels: cpu): set params: {kernels: gpu} (its image: docs/batch-steps.md) or drop 'gpu'");
    assertThat(p).noneMatch(l -> l.contains("step 'u' asks for"));
  }

  @Test
  void aJobStepNamesItsImageOrClass() throws Exception {
    ResolvedGraph g = parse("""
        name: g
        steps:
          a: {uses: scale}
          b:
            uses: scale
            from: a
            kind: job
            image: europe-docker.pkg.dev/p/steps/b:1.0
        """);
    assertThat(g.graph().step("b").image()).isEqualTo("europe-docker.pkg.dev/p/steps/b:1.0");
    // A job without an image runs on the Wavegraph job image, which has every built-in step.
    assertThat(problems("""
        name: g
        steps:
          a: {uses: scale}
          b: {uses: scale, from: a, kind: job}
          c: {uses: scale, image: "not an image", from: a}
        """)).containsExactly(
        "g.yaml:5:20: 'image' needs 'kind: job': functions run the Wavegraph function runtime",
        "g.yaml:5:27: 'image' must be a container image like europe-docker.pkg.dev/my-project/steps/separate:1.2, got 'not an image'");
  }

  @Test
  void yamlSyntaxErrorsHaveAPosition() {
    assertThat(problems("name: g\nsteps:\n  a: {uses: scale\n")).singleElement().asString()
        .startsWith("g.yaml:4:1: not valid YAML");
  }

  @Test
  void anEmptyFileOrMissingSectionsAreReported() {
    assertThat(problems("")).containsExactly("g.yaml:1:1: the file is empty");
    assertThat(problems("name: g\n")).containsExactly("g.yaml:1:1: the graph has no 'steps'");
  }

  @Test
  void longNamesAreRefused() {
    assertThatThrownBy(() -> parse("name: " + "a".repeat(21) + "\nsteps:\n  s: {uses: scale}\n"))
        .hasMessageContaining("at most 20 characters");
  }
}
