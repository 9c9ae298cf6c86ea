package io.wavegraph.chaos;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.FirestoreOptions;
import com.google.cloud.pubsub.v1.SubscriptionAdminClient;
import com.google.cloud.pubsub.v1.SubscriptionAdminSettings;
import com.google.protobuf.Duration;
import com.google.pubsub.v1.DeadLetterPolicy;
import com.google.pubsub.v1.ProjectSubscriptionName;
import com.google.pubsub.v1.PushConfig;
import com.google.pubsub.v1.RetryPolicy;
import com.google.pubsub.v1.Subscription;
import com.google.pubsub.v1.TopicName;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.wavegraph.compiler.GraphCompiler;
import io.wavegraph.core.envelope.ItemIds;
import io.wavegraph.core.graph.GraphParser;
import io.wavegraph.core.graph.ResolvedGraph;
import io.wavegraph.core.pipeline.Layout;
import io.wavegraph.core.port.Ack;
import io.wavegraph.core.port.LedgerRecord;
import io.wavegraph.core.port.LedgerState;
import io.wavegraph.core.port.Message;
import io.wavegraph.core.port.StepItem;
import io.wavegraph.core.port.SubscriptionSettings;
import io.wavegraph.core.step.StepFactory;
import io.wavegraph.functions.FunctionConfig;
import io.wavegraph.gcp.Backoff;
import io.wavegraph.gcp.Emulator;
import io.wavegraph.gcp.FirestoreLedger;
import io.wavegraph.gcp.PubSubBus;
import io.wavegraph.testkit.FakeGcsServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The chaos suite: runs a compiled graph with each function step in its own instance process
 * ({@code io.wavegraph.functions.ChaosInstance}: the Functions Framework invoker's handler on
 * 127.0.0.1, configured by the compiler's {@code functions/<step>.json} as a deployed function
 * is), fed by real push subscriptions of the Pub/Sub emulator (dead-letter policy and retry policy
 * as the generated Terraform sets them), ledger on the Firestore emulator behind a fault proxy,
 * blobs on the test kit's Cloud Storage fake, whose finalize notifications are published to the
 * roots' topics. While the inputs are uploaded it kills instance processes with SIGKILL at random
 * moments and restarts them, delivers duplicates (every notification of every third upload twice,
 * and a second push subscription on every non-root topic), injects Firestore ({@code UNAVAILABLE},
 * {@code RESOURCE_EXHAUSTED}) and Cloud Storage (503, 429) faults in bursts, publishes one poison
 * message, and makes one item's last step run past its timeout once. Then it waits, bounded, for
 * every step-item to settle and measures the invariants ({@link Result}).
 */
public final class ChaosRun {
  private static final String PROJECT = "wavegraph-chaos";

  /** What to run and how hard. */
  public record Options(Path graph, Path input, int kills, long seed, Path workdir, boolean faults,
      java.time.Duration settle, double uploadSeconds, boolean relay) {}

  /** One kill: when, which step's instance, and the items it held (live claims) at that moment. */
  record Kill(Instant at, String step, List<String> held) {}

  /** The figures, printed as one JSON line by {@link #json()}. */
  public record Result(int items, int kills, int stranded, int doubleRuns, boolean outputsMatch, int deadLetters,
      int poison, Double recoverMedian, Double recoverMax, double runsPerItem, List<String> problems) {
    public boolean holds() {
      return stranded == 0 && doubleRuns == 0 && outputsMatch && deadLetters == poison;
    }

    public String json() {
      return String.format(Locale.ROOT, "{\"items\": %d, \"kills\": %d, \"stranded\": %d, \"double_runs\": %d, "
          + "\"outputs_match\": %s, \"dead_letters\": %d, \"recover_seconds_median\": %s, \"recover_seconds_max\": %s, "
          + "\"runs_per_item\": %.2f}", items, kills, stranded, doubleRuns, outputsMatch, deadLetters,
          recoverMedian == null ? "null" : String.format(Locale.ROOT, "%.1f", recoverMedian),
          recoverMax == null ? "null" : String.format(Locale.ROOT, "%.1f", recoverMax), runsPerItem);
    }
  }

  private final Options o;
  private final Random random;
  private final Map<String, FunctionConfig> configs = new LinkedHashMap<>();
  private final Map<String, String> configText = new LinkedHashMap<>();
  /** Per step, what the generated Terraform gives its push subscription. */
  private final Map<String, Push> push = new LinkedHashMap<>();

  /** A step's push subscription as the compiled Terraform declares it. */
  record Push(String name, int maxDeliveryAttempts, long minBackoffSeconds, long maxBackoffSeconds) {}
  private final Map<String, Instance> instances = new LinkedHashMap<>();
  private final List<Kill> kills = Collections.synchronizedList(new ArrayList<>());
  private final List<String> deadLetters = Collections.synchronizedList(new ArrayList<>());
  private final Path log;
  private final java.util.concurrent.atomic.AtomicLong storageFaults = new java.util.concurrent.atomic.AtomicLong();
  private final AtomicInteger duplicates = new AtomicInteger();
  private ResolvedGraph resolved;
  private Emulator pubsub;
  private Emulator firestore;
  private FakeGcsServer gcs;
  private FirestoreFaultProxy proxy;

  public ChaosRun(Options options) {
    this.o = options;
    this.random = new Random(options.seed());
    this.log = options.workdir().resolve("completed.log");
  }

  /** Runs the whole suite; every process and emulator it started is stopped when it returns. */
  public Result run() throws Exception {
    Files.createDirectories(o.workdir().resolve("logs"));
    compile();
    Map<String, Path> items = items(o.input());
    if (items.isEmpty()) throw new IllegalArgumentException(o.input() + " holds no input files");
    if (stallItem.isEmpty()) stallItem = new ArrayList<>(items.keySet()).get(items.size() / 2);
    pubsub = Emulator.start(Emulator.Kind.PUBSUB, "256m", java.time.Duration.ofSeconds(60));
    firestore = Emulator.start(Emulator.Kind.FIRESTORE, "256m", java.time.Duration.ofSeconds(60));
    gcs = FakeGcsServer.start();
    proxy = new FirestoreFaultProxy(firestore.host());
    Firestore db = null;
    PubSubBus bus = PubSubBus.forEmulator(pubsub.host(), PROJECT);
    List<AutoCloseable> watchers = new ArrayList<>();
    try {
      FunctionConfig any = configs.values().iterator().next();
      db = FirestoreOptions.newBuilder().setProjectId(PROJECT).setDatabaseId(any.ledgerDatabase())
          .setEmulatorHost(firestore.host()).build().getService();
      FirestoreLedger ledger = new FirestoreLedger(db, any.ledgerCollection(), FirestoreLedger.RETENTION, Backoff.defaults(), false);
      for (FunctionConfig c : configs.values()) {
        bus.createTopic(c.selfTopic());
        bus.createTopic(c.deadLetterTopic());
        watchers.add(bus.subscribe(c.deadLetterTopic(), c.deadLetterTopic() + "-watch", SubscriptionSettings.defaults(), d -> {
          deadLetters.add(c.step() + ": " + d.message().attributes().getOrDefault("wavegraph-error", "(no reason)"));
          return Ack.ACK;
        }));
      }
      for (FunctionConfig c : configs.values()) instances.put(c.step(), new Instance(c.step()));
      instances.values().parallelStream().forEach(Instance::start);
      for (FunctionConfig c : configs.values()) {
        String url = instances.get(c.step()).url();
        subscribe(c, push.get(c.step()).name(), url, bus, watchers);
        if (!c.parents().isEmpty()) subscribe(c, push.get(c.step()).name() + "-dup", url, bus, watchers); // every delivery twice
      }
      List<String> roots = configs.values().stream().filter(c -> c.parents().isEmpty()).map(FunctionConfig::selfTopic).toList();
      AtomicInteger uploadsSeen = new AtomicInteger();
      gcs.onFinalize(f -> {
        if (!f.bucket().equals(any.inputBucket()) || !f.name().startsWith(any.inputPrefix())) return;
        boolean twice = uploadsSeen.incrementAndGet() % 3 == 0;
        for (String t : roots) {
          bus.publish(t, new Message(f.data(), f.attributes()));
          if (twice) {
            bus.publish(t, new Message(f.data(), f.attributes()));
            duplicates.incrementAndGet();
          }
        }
      });
      if (o.faults()) injectFaults();

      // Uploads spread over the kill phase, so that kills land while items are in flight.
      List<Map.Entry<String, Path>> order = new ArrayList<>(items.entrySet());
      CompletableFuture<Void> uploads = CompletableFuture.runAsync(() -> {
        long gapMs = (long) (o.uploadSeconds() * 1000 / order.size());
        for (int i = 0; i < order.size(); i++) {
          Path f = order.get(i).getValue();
          try {
            gcs.putObject(any.inputBucket(), any.inputPrefix() + relative(f), Files.readAllBytes(f));
            if (i == order.size() / 3) {
              // The poison message: not an envelope, on a root's topic; it must be dead-lettered, once.
              bus.publish(roots.get(0), new Message("chaos: not an envelope".getBytes(UTF_8), Map.of()));
            }
            Thread.sleep(gapMs);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
        }
      });
      Instant begun = Instant.now();
      double killGap = Math.max(0.5, o.uploadSeconds() / Math.max(1, o.kills()));
      List<String> steps = new ArrayList<>(instances.keySet());
      for (int k = 0; k < o.kills(); k++) {
        Thread.sleep((long) (killGap * 1000 * (0.5 + random.nextDouble())));
        // Kill a step that holds work when one does (looking again for up to 3 s): that is the
        // kill that can strand an item.
        Map<String, List<String>> holding = new LinkedHashMap<>();
        List<String> stalling = new ArrayList<>();
        long lookUntil = System.nanoTime() + 3_000_000_000L;
        while (true) {
          holding.clear();
          stalling.clear();
          Instant now = Instant.now();
          for (String s : steps) {
            List<String> h = ledger.records(s).stream().filter(r -> r.isLiveClaim(now)).map(r -> r.key().item()).toList();
            // Not the instance running the item that is past its timeout: its timeout must be seen.
            if (h.contains(stallItem)) stalling.add(s);
            else if (!h.isEmpty()) holding.put(s, h);
          }
          if (!holding.isEmpty() || System.nanoTime() > lookUntil) break;
          Thread.sleep(200); // the instances' own pace: a claim appears when one starts work
        }
        List<String> candidates = new ArrayList<>(holding.isEmpty() ? steps : holding.keySet());
        candidates.removeAll(stalling);
        if (candidates.isEmpty()) candidates = steps;
        String step = candidates.get(random.nextInt(candidates.size()));
        List<String> held = holding.getOrDefault(step, List.of());
        instances.get(step).kill();
        kills.add(new Kill(Instant.now(), step, held));
        System.err.printf("chaos: kill %d/%d of %s at +%.1f s, holding %d item(s) %s%n", k + 1, o.kills(), step,
            java.time.Duration.between(begun, Instant.now()).toMillis() / 1000.0, held.size(), held.size() > 5 ? held.subList(0, 5) + "..." : held);
        instances.get(step).start();
      }
      uploads.join();
      Instant last = Instant.now();
      System.err.printf("chaos: uploads and kills done after %d s; waiting up to %d s for every step-item to settle%n",
          java.time.Duration.between(begun, last).toSeconds(), o.settle().toSeconds());

      // Bounded wait: a stranded item never settles by itself, so the wait ends at the bound.
      List<StepItem> expected = new ArrayList<>();
      for (String step : instances.keySet()) for (String item : items.keySet()) expected.add(new StepItem(step, item));
      long deadline = System.nanoTime() + o.settle().toNanos();
      List<StepItem> open = expected;
      while (true) {
        open = unsettled(ledger, expected);
        if ((open.isEmpty() && deadLetters.size() >= 1) || System.nanoTime() > deadline) break;
        Thread.sleep(1000);
      }
      proxy.faults(m -> null);
      gcs.faults(r -> 0);
      Thread.sleep(2000); // let the last dead letters arrive
      System.err.printf("chaos: injected %d Firestore faults, %d Cloud Storage faults, %d duplicate notifications "
          + "(and every non-root delivery twice)%n", proxy.refused(), storageFaults.get(), duplicates.get());
      return measure(ledger, items, open);
    } finally {
      for (AutoCloseable w : watchers) w.close();
      instances.values().forEach(Instance::stop);
      bus.close();
      if (db != null) db.close();
      proxy.close();
      gcs.close();
      firestore.close();
      pubsub.close();
    }
  }

  private void compile() throws Exception {
    resolved = new GraphParser(StepFactory.fromClassPath(getClass().getClassLoader())).parse(o.graph());
    Map<String, String> files = new GraphCompiler().compile(resolved).files();
    for (var e : files.entrySet()) {
      if (!e.getKey().startsWith("functions/") || !e.getKey().endsWith(".json")) continue;
      FunctionConfig c = FunctionConfig.parse(e.getValue());
      if (!"function".equals(c.kind())) continue; // batch steps: not in this suite (yet)
      configs.put(c.step(), c);
      configText.put(c.step(), e.getValue());
      Files.writeString(o.workdir().resolve(c.step() + ".json"), e.getValue());
    }
    if (configs.isEmpty()) throw new IllegalArgumentException(o.graph() + " has no function steps");
    // The subscriptions as the generated root module and the step-function module declare them.
    com.fasterxml.jackson.databind.JsonNode modules = new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(files.get("terraform/main.tf.json")).path("module");
    String module = files.getOrDefault("terraform/modules/step-function/main.tf", "");
    long min = seconds(module, "minimum_backoff", 10);
    long max = seconds(module, "maximum_backoff", 600);
    for (String step : configs.keySet()) {
      com.fasterxml.jackson.databind.JsonNode m = modules.path("step_" + step);
      push.put(step, new Push(m.path("subscription_name").asText(configs.get(step).selfTopic()),
          m.path("max_delivery_attempts").asInt(5), min, max));
    }
  }

  /** {@code name = "Ns"} in a Terraform file, or the fallback. */
  private static long seconds(String tf, String name, long fallback) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile(name + "\\s*=\\s*\"(\\d+)s\"").matcher(tf);
    return m.find() ? Long.parseLong(m.group(1)) : fallback;
  }

  /** Files under {@code dir} (not hidden) by item id, as the root derives it from the object name. */
  private Map<String, Path> items(Path dir) throws Exception {
    Map<String, Path> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path f : s.filter(Files::isRegularFile).sorted().toList()) {
        if (f.getFileName().toString().startsWith(".")) continue;
        out.put(ItemIds.fromObjectName(relative(f)), f);
      }
    }
    return out;
  }

  private String relative(Path f) {
    return o.input().relativize(f).toString().replace('\\', '/');
  }

  private void subscribe(FunctionConfig c, String name, String endpoint, PubSubBus bus, List<AutoCloseable> closing)
      throws IOException {
    Push p = push.get(c.step());
    if (o.relay()) {
      closing.add(new PushRelay(bus, PROJECT, c.selfTopic(), name, endpoint,
          java.time.Duration.ofSeconds(Math.min(600, c.timeout().toSeconds() + 30)), p.maxDeliveryAttempts(),
          java.time.Duration.ofSeconds(p.minBackoffSeconds()), java.time.Duration.ofSeconds(p.maxBackoffSeconds()),
          c.deadLetterTopic()));
      return;
    }
    ManagedChannel channel = ManagedChannelBuilder.forTarget(pubsub.host()).usePlaintext().build();
    try (SubscriptionAdminClient admin = SubscriptionAdminClient.create(SubscriptionAdminSettings.newBuilder()
        .setTransportChannelProvider(FixedTransportChannelProvider.create(GrpcTransportChannel.create(channel)))
        .setCredentialsProvider(NoCredentialsProvider.create()).build())) {
      admin.createSubscription(Subscription.newBuilder()
          .setName(ProjectSubscriptionName.of(PROJECT, name).toString())
          .setTopic(TopicName.of(PROJECT, c.selfTopic()).toString())
          .setPushConfig(PushConfig.newBuilder().setPushEndpoint(endpoint))
          .setAckDeadlineSeconds((int) Math.min(600, c.timeout().toSeconds() + 30))
          .setRetryPolicy(RetryPolicy.newBuilder().setMinimumBackoff(Duration.newBuilder().setSeconds(p.minBackoffSeconds()))
              .setMaximumBackoff(Duration.newBuilder().setSeconds(p.maxBackoffSeconds())))
          .setDeadLetterPolicy(DeadLetterPolicy.newBuilder()
              .setDeadLetterTopic(TopicName.of(PROJECT, c.deadLetterTopic()).toString())
              .setMaxDeliveryAttempts(p.maxDeliveryAttempts()))
          .build());
    } finally {
      channel.shutdownNow();
    }
  }

  /** Bursts of faults: every few seconds, for about a second, a third of the calls are refused. */
  private void injectFaults() {
    Thread t = new Thread(() -> {
      Random r = new Random(o.seed() + 1);
      try {
        while (true) {
          Thread.sleep(3000 + r.nextInt(3000));
          Random pick = new Random(r.nextLong());
          proxy.faults(m -> {
            synchronized (pick) {
              if (pick.nextInt(3) != 0) return null;
              return pick.nextBoolean() ? Status.UNAVAILABLE : Status.RESOURCE_EXHAUSTED;
            }
          });
          gcs.faults(req -> {
            synchronized (pick) {
              if (pick.nextInt(3) != 0) return 0;
              storageFaults.incrementAndGet();
              return pick.nextBoolean() ? 503 : 429;
            }
          });
          Thread.sleep(1000);
          proxy.faults(m -> null);
          gcs.faults(req -> 0);
        }
      } catch (InterruptedException e) {
        proxy.faults(m -> null);
        gcs.faults(req -> 0);
      }
    }, "chaos-faults");
    t.setDaemon(true);
    t.start();
  }

  /** The step-items not DONE and not FAILED with a reason. */
  private static List<StepItem> unsettled(FirestoreLedger ledger, List<StepItem> expected) {
    Map<StepItem, LedgerRecord> byKey = new HashMap<>();
    expected.stream().map(StepItem::step).distinct().forEach(s -> ledger.records(s).forEach(r -> byKey.put(r.key(), r)));
    List<StepItem> open = new ArrayList<>();
    for (StepItem k : expected) {
      LedgerRecord r = byKey.get(k);
      boolean settled = r != null && (r.state() == LedgerState.DONE
          || (r.state() == LedgerState.FAILED && r.error() != null && !r.error().isBlank()));
      if (!settled) open.add(k);
    }
    return open;
  }

  private Result measure(FirestoreLedger ledger, Map<String, Path> items, List<StepItem> open) throws Exception {
    List<String> problems = new ArrayList<>();
    for (StepItem k : open.subList(0, Math.min(10, open.size()))) {
      Optional<LedgerRecord> r = ledger.get(k);
      problems.add("stranded: " + k.step() + " " + k.item() + " " + r.map(x -> x.state() + " owner=" + x.owner()
          + " lease=" + x.leaseUntil() + " attempts=" + x.attempts() + " error=" + x.error()).orElse("no record"));
      // What the step's instances said about it (all their lives), for the diagnosis.
      Path stepLog = o.workdir().resolve("logs").resolve(k.step() + ".log");
      if (Files.exists(stepLog)) {
        List<String> about = new ArrayList<>();
        String previous = "";
        for (String line : Files.readAllLines(stepLog, UTF_8)) {
          if (line.contains(" " + k.item() + " ")) about.add(previous.replaceAll(" io\\.wavegraph.*", "") + " " + line.replace("INFO: ", ""));
          previous = line;
        }
        about.subList(0, Math.max(0, about.size() - 12)).clear();
        about.forEach(a -> problems.add("  event: " + a));
      }
    }
    // Completed step bodies, from every instance's log.
    Map<StepItem, Integer> runs = new HashMap<>();
    int completions = 0;
    if (Files.exists(log)) {
      for (String line : Files.readAllLines(log, UTF_8)) {
        String[] f = line.split(" ");
        if (f.length < 6 || !f[0].equals("PROCESSED")) continue;
        runs.merge(new StepItem(f[1], f[2]), 1, Integer::sum);
        completions++;
      }
    }
    int doubles = 0;
    for (var e : runs.entrySet()) {
      if (e.getValue() > 1) {
        doubles += e.getValue() - 1;
        problems.add("ran " + e.getValue() + " times: " + e.getKey().step() + " " + e.getKey().item());
      }
    }
    boolean match = compareWithCleanRun(items, problems);
    List<Double> recover = new ArrayList<>();
    for (Kill k : kills) {
      if (k.held().isEmpty()) continue;
      Instant done = null;
      boolean all = true;
      for (String item : k.held()) {
        LedgerRecord r = ledger.get(new StepItem(k.step(), item)).orElse(null);
        if (r == null || r.finished() == null || (r.state() != LedgerState.DONE && r.state() != LedgerState.FAILED)) {
          all = false;
          break;
        }
        // Finished between the look at the ledger and the kill: it was not held when killed.
        if (r.finished().isBefore(k.at())) continue;
        if (done == null || r.finished().isAfter(done)) done = r.finished();
      }
      if (all && done == null) continue;
      if (all) recover.add(Math.max(0, java.time.Duration.between(k.at(), done).toMillis() / 1000.0));
      else problems.add("never recovered: kill of " + k.step() + " at " + k.at() + " holding " + k.held());
    }
    Collections.sort(recover);
    Double median = recover.isEmpty() ? null : recover.size() % 2 == 1 ? recover.get(recover.size() / 2)
        : (recover.get(recover.size() / 2 - 1) + recover.get(recover.size() / 2)) / 2;
    Double max = recover.isEmpty() ? null : recover.get(recover.size() - 1);
    deadLetters.forEach(d -> problems.add("dead letter: " + d));
    String last = configs.values().stream().filter(x -> x.children().isEmpty()).findFirst().orElseThrow().step();
    Path lastLog = o.workdir().resolve("logs").resolve(last + ".log");
    if (!Files.exists(lastLog) || Files.readAllLines(lastLog, UTF_8).stream()
        .noneMatch(l -> l.contains(" " + stallItem + " RETRYING") && l.contains("timed out"))) {
      problems.add("the item made to run past its timeout (" + last + " " + stallItem + ") was never timed out and retried");
    }
    int stepItems = items.size() * instances.size();
    return new Result(items.size(), kills.size(), open.size(), doubles, match, deadLetters.size(), 1, median, max,
        stepItems == 0 ? 0 : (double) completions / stepItems, problems);
  }

  /** Every output of every step-item, byte for byte, against the embedded runtime's clean run. */
  private boolean compareWithCleanRun(Map<String, Path> items, List<String> problems) throws Exception {
    Path clean = o.workdir().resolve("clean");
    int rc = io.wavegraph.cli.Main.execute("run", o.graph().toString(), "--input", o.input().toString(),
        "--workdir", clean.toString(), "--threads", "2");
    if (rc != 0) problems.add("the clean run exited " + rc);
    FunctionConfig any = configs.values().iterator().next();
    boolean match = rc == 0;
    int compared = 0;
    for (FunctionConfig c : configs.values()) {
      for (String item : items.keySet()) {
        for (String out : c.outputs()) {
          String key = Layout.outputKey(c.step(), item, out);
          Path expected = clean.resolve("outputs").resolve(key);
          Optional<byte[]> got = gcs.object(any.outputBucket(), any.outputPrefix() + key);
          boolean same = Files.exists(expected) ? got.isPresent() && Arrays.equals(Files.readAllBytes(expected), got.get())
              : got.isEmpty();
          compared++;
          if (!same) {
            match = false;
            if (problems.size() < 40) problems.add("output differs from the clean run: " + key
                + (got.isEmpty() ? " (missing)" : Files.exists(expected) ? "" : " (not made by the clean run)"));
          }
        }
      }
    }
    return match && compared > 0;
  }

  /** One step's instance process, restartable on the same port (the push endpoint stays). */
  private final class Instance {
    private final String step;
    private final int port;
    private Process process;

    Instance(String step) {
      this.step = step;
      try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
        this.port = s.getLocalPort();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    String url() {
      return "http://127.0.0.1:" + port + "/";
    }

    synchronized void start() {
      // A restart can meet the dead process's port not yet free, or a loaded machine: try again.
      for (int attempt = 1; ; attempt++) {
        try {
          startOnce();
          return;
        } catch (RuntimeException e) {
          if (attempt == 3) throw e;
          System.err.println("chaos: restarting " + step + " again: " + e.getMessage());
        }
      }
    }

    private void startOnce() {
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
          "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), "io.wavegraph.functions.ChaosInstance",
          Integer.toString(port));
      Map<String, String> env = pb.environment();
      env.put("WAVEGRAPH_CONFIG", configText.get(step));
      env.put("GOOGLE_CLOUD_PROJECT", PROJECT);
      env.put("PUBSUB_EMULATOR_HOST", pubsub.host());
      env.put("FIRESTORE_EMULATOR_HOST", proxy.host());
      env.put("STORAGE_EMULATOR_HOST", gcs.endpoint());
      env.put("WAVEGRAPH_CHAOS_LOG", log.toString());
      env.put("WAVEGRAPH_CHAOS_STALL", stall());
      pb.redirectError(ProcessBuilder.Redirect.appendTo(o.workdir().resolve("logs").resolve(step + ".log").toFile()));
      try {
        process = pb.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), UTF_8));
        String line;
        while ((line = out.readLine()) != null && !line.startsWith("LISTENING ")) {
          // wait for the port
        }
        if (line == null) throw new IllegalStateException("instance of " + step + " did not start; see "
            + o.workdir().resolve("logs").resolve(step + ".log"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** SIGKILL, as a host failure or an out-of-memory kill ends an instance. */
    synchronized void kill() throws InterruptedException {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    synchronized void stop() {
      if (process != null) process.destroyForcibly();
    }
  }

  /** The item whose last step runs past its timeout once, and for how long. */
  private String stall() {
    try {
      Path dir = Files.createDirectories(o.workdir().resolve("stall"));
      String item = stallItem;
      FunctionConfig c = configs.values().stream().filter(x -> x.children().isEmpty()).findFirst().orElseThrow();
      return item + ":" + (c.timeout().toSeconds() + 3) + ":" + dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String stallItem = "";

  /** Names the item that stalls once (set before {@link #run}; default: none). */
  public ChaosRun stalling(String item) {
    this.stallItem = item;
    return this;
  }
}
