package io.wavegraph.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a catalog costs on Google Cloud, from a measured profile of each step: pure arithmetic, so
 * it is tested against hand-computed numbers. The model, per step and track (before free tiers):
 *
 * <ul>
 *   <li>compute: a request takes {@code T = cpu seconds per audio minute x minutes} (rounded up to
 *       Cloud Run's 100 ms), one vCPU each; an instance serving {@code c} at once is billed {@code
 *       T / c} seconds per track for its {@code vcpu} and {@code GiB};
 *   <li>requests: one function call per step and track;
 *   <li>Pub/Sub: the request into the step is published once and pushed once, each billed at least
 *       1000 bytes (the roots' storage notification likewise);
 *   <li>Firestore (the ledger): one read (is it done?) and two writes (claim, done);
 *   <li>Cloud Storage: one Class A write per output; Class B reads of the inputs plus two metadata
 *       reads; and one month of keeping the outputs;
 *   <li>GPU steps (Cloud Run jobs): the time measured here, taken as the GPU instance's time per
 *       track (an upper bound: the GPU kernels are faster than this machine's CPU), at the L4
 *       price plus the job's 4 vCPU and 16 GiB; plus a workflow of about 15 steps per batch;
 *   <li>wall time: each step runs at most {@code I x c} tracks at once; steps overlap (Pub/Sub
 *       pipelines them), so the catalog takes as long as its slowest step.
 * </ul>
 */
final class CatalogEstimate {

  /** One step as measured and sized. */
  record StepProfile(
      String name,
      double cpuSecondsPerAudioMinute,
      double outputBytesPerAudioMinute,
      int outputs,
      int inputsRead,
      boolean root,
      boolean job,
      boolean gpu,
      double memoryGib,
      double vcpus,
      int concurrency,
      int batchSize) {}

  /** The dated price table (prices.json in the jar). */
  record Prices(String asOf, Map<String, Double> usd) {
    double get(String key) {
      Double v = usd.get(key);
      if (v == null) throw new IllegalStateException("price table has no '" + key + "'");
      return v;
    }

    static Prices load() {
      try (InputStream in = CatalogEstimate.class.getResourceAsStream("prices.json")) {
        JsonNode root = new ObjectMapper().readTree(in);
        Map<String, Double> usd = new LinkedHashMap<>();
        root.get("prices").fields().forEachRemaining(e -> usd.put(e.getKey(), e.getValue().get("usd").asDouble()));
        return new Prices(root.get("as_of").asText(), usd);
      } catch (IOException | NullPointerException e) {
        throw new IllegalStateException("cannot read the price table prices.json", e);
      }
    }
  }

  /** Costs of one step for the whole catalog, in USD, and its wall time. */
  record StepCost(
      StepProfile profile,
      double cpuSecondsPerTrack,
      double vcpuSeconds,
      double gibSeconds,
      double gpuSeconds,
      double compute,
      double requests,
      double pubsub,
      double firestore,
      double storage,
      double gpu,
      double wallHours) {
    double total() {
      return compute + requests + pubsub + firestore + storage + gpu;
    }
  }

  static final int WORKFLOW_STEPS_PER_BATCH = 15;
  static final double JOB_GPU_VCPUS = 4;
  static final double JOB_GPU_GIB = 16;

  private CatalogEstimate() {}

  static StepCost step(StepProfile p, long tracks, double minutes, int maxInstances, Prices prices) {
    double t = p.cpuSecondsPerAudioMinute() * minutes;
    double pubsubBytes = 2.0 * prices.get("pubsub_min_bytes") * tracks; // publish + push
    double pubsub = pubsubBytes / Math.pow(1024, 4) * prices.get("pubsub_tib");
    double firestore = tracks * (prices.get("firestore_read") + 2 * prices.get("firestore_write"));
    double ops = tracks * (p.outputs() * prices.get("storage_class_a")
        + (p.inputsRead() + 2) * prices.get("storage_class_b"));
    double kept = p.outputBytesPerAudioMinute() * minutes * tracks / 1e9 * prices.get("storage_gb_month");
    double storage = ops + kept;
    if (p.job()) {
      double seconds = t * tracks;
      double vcpus = p.gpu() ? JOB_GPU_VCPUS : p.vcpus();
      double gib = p.gpu() ? JOB_GPU_GIB : p.memoryGib();
      double instance = seconds * (vcpus * prices.get("job_vcpu_second") + gib * prices.get("job_gib_second"));
      double gpuPart = p.gpu() ? seconds * prices.get("gpu_l4_second") : 0;
      double batches = Math.ceil((double) tracks / Math.max(1, p.batchSize()));
      double workflows = batches * WORKFLOW_STEPS_PER_BATCH * prices.get("workflows_internal_step");
      double wall = seconds / maxInstances / 3600;
      return new StepCost(p, t, seconds * vcpus, seconds * gib, p.gpu() ? seconds : 0,
          p.gpu() ? 0 : instance, workflows, pubsub, firestore, storage, p.gpu() ? instance + gpuPart : 0, wall);
    }
    double billed = Math.ceil(t * 10 - 1e-9) / 10; // Cloud Run bills requests in 100 ms steps
    double instanceSeconds = billed / p.concurrency() * tracks;
    double vcpuSeconds = instanceSeconds * p.vcpus();
    double gibSeconds = instanceSeconds * p.memoryGib();
    double compute = vcpuSeconds * prices.get("function_vcpu_second") + gibSeconds * prices.get("function_gib_second");
    double requests = tracks * prices.get("function_request");
    // Each request gets a whole vCPU when concurrency <= vCPUs; otherwise they share.
    double perRequestWall = t * Math.max(1.0, p.concurrency() / Math.max(p.vcpus(), 1e-9));
    double wall = tracks * perRequestWall / ((double) maxInstances * p.concurrency()) / 3600;
    if (p.root()) pubsub *= 2; // the storage notification into the root as well
    return new StepCost(p, t, vcpuSeconds, gibSeconds, 0, compute, requests, pubsub, firestore, storage, 0, wall);
  }

  /** The whole catalog: {@code --json}'s shape. */
  static ObjectNode json(List<StepCost> steps, long tracks, double minutes, int maxInstances, Prices prices) {
    ObjectMapper m = new ObjectMapper();
    ObjectNode o = m.createObjectNode();
    o.put("tracks", tracks);
    o.put("minutes", minutes);
    o.put("max_instances", maxInstances);
    o.put("wall_hours", round(steps.stream().mapToDouble(StepCost::wallHours).max().orElse(0), 4));
    ObjectNode cost = o.putObject("cost_usd");
    cost.put("total", round(steps.stream().mapToDouble(StepCost::total).sum(), 2));
    cost.put("compute", round(steps.stream().mapToDouble(StepCost::compute).sum(), 2));
    cost.put("requests", round(steps.stream().mapToDouble(StepCost::requests).sum(), 2));
    cost.put("pubsub", round(steps.stream().mapToDouble(StepCost::pubsub).sum(), 2));
    cost.put("firestore", round(steps.stream().mapToDouble(StepCost::firestore).sum(), 2));
    cost.put("storage", round(steps.stream().mapToDouble(StepCost::storage).sum(), 2));
    cost.put("gpu", round(steps.stream().mapToDouble(StepCost::gpu).sum(), 2));
    ObjectNode per = o.putObject("steps");
    for (StepCost s : steps) {
      ObjectNode n = per.putObject(s.profile().name());
      n.put("cpu_seconds_per_audio_minute", round(s.profile().cpuSecondsPerAudioMinute(), 4));
      n.put("cpu_seconds_per_track", round(s.cpuSecondsPerTrack(), 4));
      n.put("kind", s.profile().job() ? (s.profile().gpu() ? "gpu job" : "job") : "function");
      n.put("vcpu", s.profile().vcpus());
      n.put("memory_gib", s.profile().memoryGib());
      n.put("concurrency", s.profile().concurrency());
      n.put("vcpu_seconds", round(s.vcpuSeconds(), 0));
      n.put("gib_seconds", round(s.gibSeconds(), 0));
      n.put("gpu_seconds", round(s.gpuSeconds(), 0));
      n.put("wall_hours", round(s.wallHours(), 4));
      ObjectNode c = n.putObject("cost_usd");
      c.put("total", round(s.total(), 2));
      c.put("compute", round(s.compute(), 2));
      c.put("requests", round(s.requests(), 2));
      c.put("pubsub", round(s.pubsub(), 2));
      c.put("firestore", round(s.firestore(), 2));
      c.put("storage", round(s.storage(), 2));
      c.put("gpu", round(s.gpu(), 2));
    }
    o.put("prices_as_of", prices.asOf());
    return o;
  }

  static double round(double v, int places) {
    double f = Math.pow(10, places);
    return Math.round(v * f) / f;
  }
}
