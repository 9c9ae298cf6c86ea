package io.wavegraph.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wavegraph.audio.AudioDecoders;
import io.wavegraph.audio.AudioSource;
import io.wavegraph.compiler.StepSizing;
import io.wavegraph.core.envelope.Envelope;
import io.wavegraph.core.envelope.ItemIds;
import io.wavegraph.core.graph.ResolvedGraph;
import io.wavegraph.core.graph.StepKind;
import io.wavegraph.core.graph.StepSpec;
import io.wavegraph.core.pipeline.Layout;
import io.wavegraph.core.pipeline.PipelineListener;
import io.wavegraph.core.port.BlobInfo;
import io.wavegraph.core.port.LedgerRecord;
import io.wavegraph.core.port.LedgerState;
import io.wavegraph.local.EmbeddedRuntime;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "estimate", description = {
    "Estimates the time and the Google Cloud cost of running the graph over a catalog of N tracks of M minutes.",
    "Measures each step's seconds per audio minute on a sample (one thread, a second pass after a warm-up), sizes "
        + "each function as `compile` does, and prices compute, requests, Pub/Sub, Firestore, Cloud Storage and GPU "
        + "time from a dated price table (list prices, before free tiers)."})
final class EstimateCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "GRAPH")
  Path graphFile;

  @Option(names = "--tracks", required = true, paramLabel = "N", description = "Tracks in the catalog.")
  long tracks;

  @Option(names = "--minutes", required = true, paramLabel = "M", description = "Average track length in minutes.")
  double minutes;

  @Option(names = "--sample", paramLabel = "DIR",
      description = "Audio to measure on: a few tracks like the catalog's, as each item's fixed costs are counted per "
          + "minute of audio (default: the audio/ folder beside the graph, else examples/audio, whose short clips overstate).")
  Path sample;

  @Option(names = "--max-instances", paramLabel = "I", description = "The most instances per step at once (default 100).")
  int maxInstances = 100;

  @Option(names = "--profile", paramLabel = "FILE",
      description = "Use a profile saved by --save-profile (or written by hand) instead of measuring.")
  Path profileFile;

  @Option(names = "--save-profile", paramLabel = "FILE", description = "Also write the measured profile to FILE.")
  Path saveProfile;

  @Option(names = "--json", description = "Print one JSON object on stdout.")
  boolean json;

  @Spec CommandSpec spec;

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** What was measured per step: seconds of one core and output bytes, per minute of audio. */
  record Measured(double secondsPerMinute, double outputBytesPerMinute) {}

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter out = spec.commandLine().getOut();
    if (tracks < 1) throw new Main.UsageException("--tracks must be at least 1, got " + tracks);
    if (!(minutes > 0)) throw new Main.UsageException("--minutes must be positive, got " + minutes);
    if (maxInstances < 1) throw new Main.UsageException("--max-instances must be at least 1, got " + maxInstances);
    ResolvedGraph graph = GraphFiles.load(graphFile, err);
    Map<String, Measured> measured = profileFile != null ? readProfile(profileFile, graph) : measure(graph, sampleDir(), err);
    if (saveProfile != null) writeProfile(saveProfile, measured);
    CatalogEstimate.Prices prices = CatalogEstimate.Prices.load();
    List<CatalogEstimate.StepCost> costs = new ArrayList<>();
    for (String name : graph.graph().topologicalOrder()) {
      costs.add(CatalogEstimate.step(profile(graph, name, measured.get(name)), tracks, minutes, maxInstances, prices));
    }
    ObjectNode result = CatalogEstimate.json(costs, tracks, minutes, maxInstances, prices);
    if (json) {
      out.println(JSON.writeValueAsString(result));
    } else {
      printTable(out, result);
    }
    out.flush();
    return Main.OK;
  }

  /** A step's profile: what was measured, and how `compile` sizes it. */
  static CatalogEstimate.StepProfile profile(ResolvedGraph graph, String name, Measured m) {
    StepSpec s = graph.graph().step(name);
    int inputsRead = 0;
    for (String p : graph.graph().parents(name)) inputsRead += graph.outputs(p).size();
    if (s.isRoot()) inputsRead = 1;
    boolean job = s.kind() == StepKind.JOB;
    double gib;
    double vcpus;
    int concurrency;
    if (job) {
      gib = s.gpu() != null ? CatalogEstimate.JOB_GPU_GIB : StepSizing.mebibytes(s.memory()) / 1024.0;
      vcpus = s.gpu() != null ? CatalogEstimate.JOB_GPU_VCPUS : 1;
      concurrency = 1;
    } else {
      StepSizing.Size size = StepSizing.of(s);
      gib = size.memoryMib() / 1024.0;
      vcpus = size.vcpus();
      concurrency = size.concurrency();
    }
    return new CatalogEstimate.StepProfile(name, m.secondsPerMinute(), m.outputBytesPerMinute(), graph.outputs(name).size(),
        inputsRead, s.isRoot(), job, s.gpu() != null, gib, vcpus, concurrency, s.batch() == null ? 1 : s.batch().size());
  }

  private Path sampleDir() {
    if (sample != null) {
      if (!Files.isDirectory(sample)) throw new Main.UsageException("--sample " + sample + " is not a directory");
      return sample;
    }
    Path parent = graphFile.toAbsolutePath().getParent();
    for (Path p : new Path[] {parent == null ? null : parent.resolve("audio"), Path.of("examples/audio")}) {
      if (p != null && Files.isDirectory(p)) return p;
    }
    throw new Main.UsageException("no sample audio: give --sample DIR (a few tracks like the catalog's)");
  }

  /**
   * Runs the graph over the sample twice on one thread (the first pass loads classes and warms the
   * JIT, as a long-lived function instance is warm) and reads each item's run time from the ledger.
   */
  static Map<String, Measured> measure(ResolvedGraph graph, Path sampleDir, PrintWriter err) throws Exception {
    Map<String, Double> minutesByItem = new LinkedHashMap<>();
    try (Stream<Path> files = Files.walk(sampleDir)) {
      for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
        String key = sampleDir.relativize(f).toString().replace('\\', '/');
        if (key.startsWith(".") || key.contains("/.")) continue;
        try (AudioSource a = AudioDecoders.open(f)) {
          double frames = a.frames() >= 0 ? a.frames() : countFrames(a);
          minutesByItem.put(ItemIds.fromObjectName(key), frames / a.sampleRate() / 60);
        } catch (IOException e) {
          err.println("estimate: skipping " + f + ": " + e.getMessage());
        }
      }
    }
    if (minutesByItem.isEmpty()) throw new Main.UsageException("no audio in the sample " + sampleDir);
    double sampleMinutes = minutesByItem.values().stream().mapToDouble(Double::doubleValue).sum();
    err.printf("estimate: measuring on %d tracks (%.1f min of audio) from %s, one thread...%n",
        minutesByItem.size(), sampleMinutes, sampleDir);
    err.flush();
    Path work = Files.createTempDirectory("wavegraph-estimate-");
    try (EmbeddedRuntime rt = EmbeddedRuntime.open(graph, EmbeddedRuntime.Config.of(sampleDir, work, 1), PipelineListener.none())) {
      Map<String, Measured> result = new LinkedHashMap<>();
      long cpuBefore = 0;
      Instant measuredFrom = null;
      for (int pass = 0; pass < 2; pass++) {
        if (pass == 1) {
          cpuBefore = processCpuNanos();
          measuredFrom = Instant.now();
        }
        Instant now = Instant.now();
        for (String id : minutesByItem.keySet()) {
          for (String root : graph.graph().roots()) rt.publish(root, Envelope.request(id, now).withForce(pass > 0));
        }
        while (!rt.awaitIdle(Duration.ofSeconds(1))) {
          // the sample is small; a step that never finishes hits its own timeout
        }
      }
      // The ledger's times are wall times; on a busy machine other work stretches them. Scale them
      // to the CPU time this process really spent in the measured pass (one thread works at a
      // time, so the CPU is shared between the steps as their wall times are).
      double cpu = (processCpuNanos() - cpuBefore) / 1e9;
      double walls = 0;
      for (String step : graph.graph().topologicalOrder()) {
        for (LedgerRecord r : rt.ledger().records(step)) {
          if (r.started() != null && r.finished() != null && !r.started().isBefore(measuredFrom)) {
            walls += Duration.between(r.started(), r.finished()).toNanos() / 1e9;
          }
        }
      }
      double scale = cpu > 0 && walls > cpu ? cpu / walls : 1;
      for (String step : graph.graph().topologicalOrder()) {
        double seconds = 0;
        double minutes = 0;
        double bytes = 0;
        for (LedgerRecord r : rt.ledger().records(step)) {
          Double m = minutesByItem.get(r.key().item());
          if (m == null || r.state() != LedgerState.DONE || r.started() == null || r.finished() == null) continue;
          seconds += Duration.between(r.started(), r.finished()).toNanos() / 1e9 * scale;
          minutes += m;
          for (String o : graph.outputs(step)) {
            bytes += rt.output().stat(Layout.outputKey(step, r.key().item(), o)).map(BlobInfo::size).orElse(0L);
          }
        }
        if (minutes == 0) throw new IllegalStateException("step '" + step + "' finished no item of the sample; see `wavegraph run` for why");
        result.put(step, new Measured(seconds / minutes, bytes / minutes));
      }
      return result;
    } finally {
      deleteTree(work);
    }
  }

  private static long processCpuNanos() {
    java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
  }

  private static long countFrames(AudioSource a) throws IOException {
    float[] buf = new float[8192 * a.channels()];
    long n = 0;
    int k;
    while ((k = a.read(buf, 8192)) > 0) n += k;
    return n;
  }

  static Map<String, Measured> readProfile(Path file, ResolvedGraph graph) throws IOException {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(file.toFile());
    } catch (IOException e) {
      throw new Main.UsageException("--profile " + file + ": " + e.getMessage());
    }
    Map<String, Measured> m = new LinkedHashMap<>();
    for (String step : graph.graph().topologicalOrder()) {
      JsonNode s = root.path("steps").path(step);
      if (!s.has("seconds_per_audio_minute")) {
        throw new Main.UsageException("--profile " + file + ": no steps." + step + ".seconds_per_audio_minute");
      }
      m.put(step, new Measured(s.get("seconds_per_audio_minute").asDouble(), s.path("output_bytes_per_audio_minute").asDouble(0)));
    }
    return m;
  }

  static void writeProfile(Path file, Map<String, Measured> measured) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode steps = root.putObject("steps");
    measured.forEach((k, v) -> steps.putObject(k)
        .put("seconds_per_audio_minute", v.secondsPerMinute())
        .put("output_bytes_per_audio_minute", v.outputBytesPerMinute()));
    Files.writeString(file, JSON.writeValueAsString(root) + "\n");
  }

  private static void printTable(PrintWriter out, ObjectNode r) {
    out.printf("%,d tracks of %s min, at most %d instances per step (prices of %s, list, before free tiers)%n%n",
        r.get("tracks").asLong(), r.get("minutes").asText(), r.get("max_instances").asInt(), r.get("prices_as_of").asText());
    out.printf("%-12s %-9s %9s %5s %6s %4s %12s %12s %10s%n", "step", "kind", "s/track", "vCPU", "GiB", "conc", "compute $", "total $", "hours");
    r.get("steps").fields().forEachRemaining(e -> {
      JsonNode s = e.getValue();
      JsonNode c = s.get("cost_usd");
      out.printf("%-12s %-9s %9.2f %5s %6.2f %4d %,12.0f %,12.0f %10.1f%n", e.getKey(), s.get("kind").asText(),
          s.get("cpu_seconds_per_track").asDouble(), trim(s.get("vcpu").asDouble()), s.get("memory_gib").asDouble(),
          s.get("concurrency").asInt(), c.get("compute").asDouble() + c.get("gpu").asDouble(), c.get("total").asDouble(),
          s.get("wall_hours").asDouble());
    });
    JsonNode c = r.get("cost_usd");
    out.printf("%ncost (USD): total %,.0f = compute %,.0f + GPU %,.0f + requests %,.0f + Pub/Sub %,.0f + Firestore %,.0f + storage %,.0f%n",
        c.get("total").asDouble(), c.get("compute").asDouble(), c.get("gpu").asDouble(), c.get("requests").asDouble(),
        c.get("pubsub").asDouble(), c.get("firestore").asDouble(), c.get("storage").asDouble());
    out.printf("wall time: %.1f hours (the slowest step; steps overlap)%n", r.get("wall_hours").asDouble());
  }

  private static String trim(double v) {
    return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temp folder left behind is harmless
    }
  }
}
