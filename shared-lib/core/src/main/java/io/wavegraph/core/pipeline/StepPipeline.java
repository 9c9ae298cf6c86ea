package io.wavegraph.core.pipeline;

import io.wavegraph.core.envelope.Direction;
import io.wavegraph.core.envelope.Envelope;
import io.wavegraph.core.envelope.EnvelopeCodec;
import io.wavegraph.core.envelope.InvalidEnvelopeException;
import io.wavegraph.core.envelope.Recipients;
import io.wavegraph.core.graph.Graph;
import io.wavegraph.core.graph.ResolvedGraph;
import io.wavegraph.core.graph.StepSpec;
import io.wavegraph.core.pipeline.PipelineEvent.Kind;
import io.wavegraph.core.port.Ack;
import io.wavegraph.core.port.BlobInfo;
import io.wavegraph.core.port.Completion;
import io.wavegraph.core.port.Delivery;
import io.wavegraph.core.port.LedgerRecord;
import io.wavegraph.core.port.LedgerState;
import io.wavegraph.core.port.Message;
import io.wavegraph.core.port.MessageHandler;
import io.wavegraph.core.port.Precondition;
import io.wavegraph.core.port.StepItem;
import io.wavegraph.core.step.BadInputException;
import io.wavegraph.core.step.Blueprint;
import io.wavegraph.core.step.Step;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * What the runtime does with every message for one step, written once for every runtime:
 *
 * <ol>
 *   <li>parse and validate the envelope; invalid: dead-letter with the reason, acknowledge;
 *   <li>not a recipient: acknowledge, count, drop;
 *   <li>ping: no work, pass on, note the ping;
 *   <li>outputs current (same version, same inputs, still there) and not forced: skip, pass on;
 *   <li>an input missing: ask the parent that makes it (bottom-up), with the recipients limited
 *       to the path back, and stop; a join asks only for what is missing;
 *   <li>claim the (step, item) with a lease; someone else holds a live claim: nack, so that the
 *       message comes back until that claim ends (done: skip; failed: as failed; expired: take
 *       over);
 *   <li>run with a timeout; store outputs atomically and conditionally; record DONE;
 *   <li>pass on: to every child, or to the next step on the {@code downstream} path;
 *   <li>failure: retry (nack) up to the step's retries, counted as claims in the ledger, then
 *       record FAILED and dead-letter.
 * </ol>
 *
 * Every stage is idempotent: a duplicate message costs a ledger read, never a second run.
 */
public final class StepPipeline implements MessageHandler, AutoCloseable {

  private final ResolvedGraph resolved;
  private final Graph graph;
  private final String step;
  private final StepSpec spec;
  private final Blueprint blueprint;
  private final Ports ports;
  private final Layout layout;
  private final PipelineListener listener;
  private final ExecutorService runner;
  private final Path scratchRoot;
  private final StepInstances instances;
  private final String instanceOwner;
  private final boolean ownerPerItem;
  private volatile LeaseTerms leaseTerms = LeaseTerms.DEFAULT;
  /** Items this pipeline object is running now. */
  private final Set<String> inFlight = ConcurrentHashMap.newKeySet();

  /**
   * @param runner runs step code, so that a run past the timeout can be abandoned
   * @param scratchRoot where per-item scratch directories are made
   * @param ownerPrefix names this process in ledger claims
   */
  public StepPipeline(ResolvedGraph resolved, String step, Ports ports, Layout layout,
      PipelineListener listener, ExecutorService runner, Path scratchRoot, String ownerPrefix) {
    this(resolved, step, ports, layout, listener, runner, scratchRoot, ownerPrefix, false);
  }

  /**
   * @param ownerPerItem name each claim {@code ownerPrefix:item} instead of a fresh id per run, so
   *     that the same owner, restarted, takes over a claim it left behind (a batch job's task)
   */
  public StepPipeline(ResolvedGraph resolved, String step, Ports ports, Layout layout,
      PipelineListener listener, ExecutorService runner, Path scratchRoot, String ownerPrefix, boolean ownerPerItem) {
    this.ownerPerItem = ownerPerItem;
    this.resolved = resolved;
    this.graph = resolved.graph();
    this.step = step;
    this.spec = graph.step(step);
    this.blueprint = resolved.blueprint(step);
    this.ports = ports;
    this.layout = layout;
    this.listener = listener;
    this.runner = runner;
    this.scratchRoot = scratchRoot;
    this.instances = new StepInstances(blueprint, graph.name(), scratchRoot);
    // Unique per pipeline object, so that a claim with this prefix and no run here is provably
    // dead; a batch task keeps the batch's name, which its retried task shares.
    this.instanceOwner = ownerPerItem ? ownerPrefix : ownerPrefix + ":" + UUID.randomUUID().toString().substring(0, 8);
  }

  /**
   * What stages 1 to 5 decided about a delivery: either it is settled (dropped, passed on,
   * skipped, requested from a parent, dead-lettered, or to be redelivered) or the step must run.
   * A batch collector admits deliveries here and runs the admitted ones later, in a batch.
   */
  public sealed interface Admission {
    /** Nothing to run: the delivery is answered with {@code ack}. */
    record Settled(Ack ack) implements Admission {}

    /** The step must run for {@code envelope}, from the inputs at {@code inputs} (URIs). */
    record Work(Envelope envelope, List<String> inputs) implements Admission {}
  }

  /** Stages 1 to 5 only: decides, passes on and requests, but never claims or runs. */
  public Admission admit(Delivery delivery) {
    Triage t = triage(delivery);
    return t.ack != null ? new Admission.Settled(t.ack) : new Admission.Work(t.env, List.copyOf(t.inputs.byUri.keySet()));
  }

  @Override
  public Ack handle(Delivery delivery) {
    Triage t = triage(delivery);
    if (t.ack != null) return t.ack;
    try {
      return work(t, delivery);
    } catch (IOException | RuntimeException e) {
      // The ports failed (disk, network): nothing was decided, so let the bus redeliver.
      emit(t.env.item(), Kind.RETRYING, describe(e));
      return Ack.NACK;
    }
  }

  /** What the stages before the claim found: settled ({@code ack} set) or work to do. */
  private record Triage(Envelope env, StepItem key, LedgerRecord record, ItemInputs inputs,
      Map<String, BlobInfo> outputs, Ack ack) {
    static Triage settled(Ack ack) {
      return new Triage(null, null, null, null, null, ack);
    }
  }

  private Triage triage(Delivery delivery) {
    Instant now = ports.clock().instant();
    Envelope env;
    try {
      env = EnvelopeCodec.decode(delivery.message().data(), now);
    } catch (InvalidEnvelopeException e) {
      deadLetter(delivery.message(), "invalid envelope: " + e.getMessage());
      emit(itemAttribute(delivery), Kind.INVALID, e.getMessage());
      return Triage.settled(Ack.ACK);
    }
    if (!env.recipients().includes(step)) {
      emit(env.item(), Kind.DROPPED, "recipients: " + env.recipients());
      return Triage.settled(Ack.ACK);
    }
    StepItem key = new StepItem(step, env.item());
    try {
      if (env.ping()) {
        ports.ledger().notePing(key, now);
        passOn(env);
        emit(env.item(), Kind.PING, null);
        return Triage.settled(Ack.ACK);
      }
      return triageWork(env, key, now);
    } catch (IOException | RuntimeException e) {
      // The ports failed (disk, network): nothing was decided, so let the bus redeliver.
      emit(env.item(), Kind.RETRYING, describe(e));
      return Triage.settled(Ack.NACK);
    }
  }

  private Triage triageWork(Envelope env, StepItem key, Instant now) throws IOException {
    LedgerRecord record = ports.ledger().get(key).orElse(null);
    ItemInputs inputs = ItemInputs.resolve(resolved, step, env.item(), ports);
    Map<String, BlobInfo> outputs = currentOutputs(env.item());

    if (isCurrent(record, inputs, outputs, env)) {
      passOn(env);
      emit(env.item(), Kind.SKIPPED, null);
      return Triage.settled(Ack.ACK);
    }
    List<String> notReady = notReadyParents(env, inputs);
    if (!notReady.isEmpty()) {
      List<String> busy = new ArrayList<>();
      List<String> ask = new ArrayList<>();
      for (String p : notReady) {
        LedgerRecord pr = ports.ledger().get(new StepItem(p, env.item())).orElse(null);
        (pr != null && pr.isLiveClaim(now) ? busy : ask).add(p);
      }
      ask.forEach(p -> requestFrom(p, env));
      if (!ask.isEmpty()) emit(env.item(), Kind.REQUESTED, String.join(",", ask));
      if (busy.isEmpty()) return Triage.settled(Ack.ACK);
      // A busy parent's holder may die before it passes on: this message comes back until the
      // parent's claim ends (done: the inputs are there; expired or failed: asked again).
      emit(env.item(), Kind.WAITING, String.join(",", busy));
      return Triage.settled(Ack.NACK);
    }
    return new Triage(env, key, record, inputs, outputs, null);
  }

  private Ack work(Triage t, Delivery delivery) throws IOException {
    StepItem key = t.key;
    // Two deliveries of one item in this instance at once: the second waits for the first.
    if (!inFlight.add(key.item())) {
      emit(key.item(), Kind.BUSY, "running in this instance");
      return Ack.NACK;
    }
    try {
      return claimAndRun(t, delivery);
    } finally {
      inFlight.remove(key.item());
    }
  }

  private Ack claimAndRun(Triage t, Delivery delivery) throws IOException {
    Envelope env = t.env;
    StepItem key = t.key;
    ItemInputs inputs = t.inputs;
    Instant now = ports.clock().instant();
    LedgerRecord seen = t.record;
    if (seen != null && seen.state() == LedgerState.FAILED && !env.force() && failedWhileOutstanding(seen, delivery)) {
      // The run this delivery waited for failed for good (and was dead-lettered by its owner).
      emit(env.item(), Kind.FAILED, "failed meanwhile: " + seen.error());
      return Ack.ACK;
    }
    String owner = ownerFor(delivery, env);
    if (seen != null && seen.isLiveClaim(now) && !owner.equals(seen.owner())) {
      if (!isOwnDeadClaim(seen.owner())) {
        // Never acknowledge work nobody is sure to finish: the holder may die; the message comes
        // back until its claim ends in done (skip), failed, or expiry (take over).
        emit(env.item(), Kind.BUSY, "claimed by " + seen.owner() + " until " + seen.leaseUntil());
        return Ack.NACK;
      }
      owner = seen.owner(); // this instance's own claim, left by a run that is no longer here
    }
    Optional<LedgerRecord> claim = ports.ledger().claim(key, seen, owner, now, lease());
    if (claim.isEmpty()) {
      // Someone changed the record since it was read: the redelivery sees what they did.
      emit(env.item(), Kind.BUSY, "claim raced");
      return Ack.NACK;
    }
    int attempt = claim.get().attempts();
    try {
      if (inputs.rootProblem != null) throw new BadInputException(inputs.rootProblem);
      Instant started = ports.clock().instant();
      Map<String, String> written = run(new Held(key, owner), inputs, t.outputs);
      Instant finished = ports.clock().instant();
      if (!ports.ledger().complete(key, owner, new Completion(blueprint.version(), inputs.fingerprints(), written, finished))) {
        // Taken over while running: the new owner records and passes on; the redelivery checks.
        emit(env.item(), Kind.LOST_CLAIM, "lease lost before completion");
        return Ack.NACK;
      }
      passOn(env);
      emit(env.item(), Kind.PROCESSED, Duration.between(started, finished).toMillis() + " ms");
      return Ack.ACK;
    } catch (LeaseLostException e) {
      // Someone else runs it now: record nothing, pass nothing on; the redelivery checks.
      emit(env.item(), Kind.LOST_CLAIM, e.getMessage());
      return Ack.NACK;
    } catch (BadInputException e) {
      return failForGood(env, key, owner, delivery, describe(e));
    } catch (Exception e) {
      if (e instanceof InterruptedException) Thread.currentThread().interrupt();
      String reason = describe(e);
      // Attempts are the ledger's (claims of this run), not deliveries: waiting on someone
      // else's claim never uses up the step's retries (docs/adr/0008).
      if (attempt > spec.retries()) {
        return failForGood(env, key, owner, delivery, reason + " (after " + attempt + " attempts)");
      }
      ports.ledger().fail(key, owner, reason, false, ports.clock().instant());
      emit(env.item(), Kind.RETRYING, "attempt " + attempt + ": " + reason);
      return Ack.NACK;
    }
  }

  /** The lease a claim is taken with, and renewed to while the step runs. */
  private Duration lease() {
    return leaseTerms.lease();
  }

  /**
   * How long a claim is leased for and how often a running step renews it. A live worker renews
   * every {@code renewEvery}, so it is never taken over; a dead one stops, so its claim can be
   * taken over {@code lease} after its last renewal at the latest, whatever the step's timeout.
   */
  public record LeaseTerms(Duration lease, Duration renewEvery) {
    /** 60 s, renewed every 20 s: two renewals may fail before a live worker could lose its claim. */
    public static final LeaseTerms DEFAULT = new LeaseTerms(Duration.ofSeconds(60), Duration.ofSeconds(20));

    public LeaseTerms {
      if (renewEvery.isZero() || renewEvery.isNegative() || renewEvery.compareTo(lease) >= 0) {
        throw new IllegalArgumentException("renewEvery must be positive and shorter than the lease: " + renewEvery + " vs " + lease);
      }
    }
  }

  /** Uses {@code terms} for the claims this pipeline takes from now on. */
  public StepPipeline withLeaseTerms(LeaseTerms terms) {
    this.leaseTerms = java.util.Objects.requireNonNull(terms, "terms");
    return this;
  }

  /** The claim a run holds: renewed while the step runs. */
  private record Held(StepItem key, String owner) {}

  /** The claim was taken over while the step ran (its lease ran out unrenewed). */
  private static final class LeaseLostException extends Exception {
    LeaseLostException(String message) {
      super(message);
    }
  }

  /**
   * The owner this delivery claims as: stable for this instance and this message, so that a
   * redelivery to the same instance recognises the claim; a batch job names its claims by item,
   * so that a retried task takes over its own claims at once.
   */
  private String ownerFor(Delivery delivery, Envelope env) {
    return instanceOwner + ":" + (ownerPerItem ? env.item() : delivery.messageId());
  }

  /**
   * A claim of this very instance (pipeline object) for an item it is not running now: its run
   * ended without settling the claim, so nobody works on it. A batch job's task owns its claims by
   * batch name, so a retried task recognises them too.
   */
  private boolean isOwnDeadClaim(String holder) {
    return holder != null && holder.startsWith(instanceOwner + ":");
  }

  /** The FAILED record was written after this message was published: the failure answers it. */
  private static boolean failedWhileOutstanding(LedgerRecord r, Delivery d) {
    return r.finished() != null && d.publishTime() != null && r.finished().isAfter(d.publishTime());
  }

  private Ack failForGood(Envelope env, StepItem key, String owner, Delivery delivery, String reason) {
    if (!ports.ledger().fail(key, owner, reason, true, ports.clock().instant())) {
      emit(env.item(), Kind.LOST_CLAIM, "lease lost before recording the failure: " + reason);
      return Ack.NACK;
    }
    deadLetter(delivery.message(), reason);
    emit(env.item(), Kind.FAILED, reason);
    return Ack.ACK;
  }

  /** Stage 4: done by this version, from these inputs, outputs still there, and not forced. */
  private boolean isCurrent(LedgerRecord r, ItemInputs inputs, Map<String, BlobInfo> outputs, Envelope env) {
    if (r == null || r.state() != LedgerState.DONE) return false;
    if (!blueprint.version().equals(r.version())) return false;
    if (outputs.containsValue(null)) return false;
    if (!inputs.matches(r.inputs())) return false;
    // A forced request redoes a result once: what finished after the request was made is its answer.
    return !env.force() || (r.finished() != null && r.finished().isAfter(env.trace().created()));
  }

  /**
   * Stage 5: parents whose output this step must wait for. Missing outputs, always; under a
   * forced request, also a parent that the request reaches (at or below the step where it
   * entered the graph) and that has not redone its result since the request was made, so that a
   * join runs once, on fresh inputs.
   */
  private List<String> notReadyParents(Envelope env, ItemInputs inputs) {
    List<String> out = new ArrayList<>(inputs.missingParents);
    if (env.force()) {
      // The request entered the graph at the first step it visited (or here): only that step and
      // its descendants redo their results for it; a parent above the entry is not waited for.
      String entry = env.visited().isEmpty() ? step : env.visited().get(0);
      Set<String> reached = new LinkedHashSet<>(graph.parents(step));
      if (graph.hasStep(entry)) {
        // A runtime that sees only part of the graph cannot tell; it waits for every parent then.
        reached = new LinkedHashSet<>(graph.descendants(entry));
        reached.add(entry);
      }
      for (String p : graph.parents(step)) {
        if (out.contains(p) || !reached.contains(p) || !env.recipients().includes(p) || !env.downstream().isEmpty()) continue;
        LedgerRecord pr = ports.ledger().get(new StepItem(p, env.item())).orElse(null);
        boolean fresh = pr != null && pr.state() == LedgerState.DONE && pr.finished() != null
            && pr.finished().isAfter(env.trace().created());
        if (!fresh) out.add(p);
      }
    }
    return out;
  }

  /** Asks {@code parent} for its output, to be routed back along the path to this step only. */
  private void requestFrom(String parent, Envelope env) {
    List<String> downstream = new ArrayList<>();
    downstream.add(step);
    downstream.addAll(env.downstream());
    Set<String> path = new LinkedHashSet<>();
    path.add(parent);
    path.addAll(downstream);
    if (env.recipients().isAll()) {
      // The requester would have passed a top-down request on to its descendants: so will it now.
      path.addAll(graph.descendants(step));
    } else {
      path.addAll(env.recipients().steps());
    }
    Envelope up = env.withDirection(Direction.UP).withRecipients(Recipients.only(path))
        .withDownstream(downstream).visitedBy(step);
    publish(parent, up);
  }

  /** Stage 8: to the next hop of a bottom-up path, or to every child that is a recipient. */
  private void passOn(Envelope env) {
    if (!env.downstream().isEmpty()) {
      String next = env.downstream().get(0);
      List<String> rest = env.downstream().subList(1, env.downstream().size());
      publish(next, env.withDirection(Direction.DOWN).withDownstream(rest).visitedBy(step));
      return;
    }
    for (String child : graph.children(step)) {
      if (env.recipients().includes(child)) publish(child, env.withDirection(Direction.DOWN).visitedBy(step));
    }
  }

  private void publish(String target, Envelope env) {
    ports.bus().publish(layout.topic(target), EnvelopeCodec.encode(env));
  }

  private Map<String, BlobInfo> currentOutputs(String item) throws IOException {
    Map<String, BlobInfo> out = new LinkedHashMap<>();
    for (String name : blueprint.outputs()) {
      out.put(name, ports.output().stat(Layout.outputKey(step, item, name)).orElse(null));
    }
    return out;
  }

  /** Stage 7: runs the step in a scratch directory and stores its outputs; returns URI -> checksum. */
  private Map<String, String> run(Held held, ItemInputs inputs, Map<String, BlobInfo> before) throws Exception {
    String item = held.key().item();
    Path scratch = Files.createTempDirectory(Files.createDirectories(scratchRoot), "item-");
    try {
      Map<String, ItemInputs.Located> byRef = new HashMap<>();
      Map<String, String> primary = new HashMap<>();
      if (graph.parents(step).isEmpty()) {
        byRef.put("", inputs.byUri.values().iterator().next());
      }
      for (String p : graph.parents(step)) {
        primary.put(p, resolved.outputs(p).get(0));
        for (String o : resolved.outputs(p)) {
          byRef.put(p + "\u0000" + o, inputs.byUri.get(ports.output().uri(Layout.outputKey(p, item, o))));
        }
      }
      LocalFiles files = new LocalFiles(item, graph.parents(step), byRef, primary, blueprint.outputs(), scratch);
      runWithTimeout(files, held);
      // Still ours, with a fresh lease for storing: a run taken over meanwhile writes nothing.
      renew(held);
      Map<String, String> written = new LinkedHashMap<>();
      for (String name : blueprint.outputs()) {
        Path f = files.written.get(name);
        if (f == null || !Files.isRegularFile(f)) {
          throw new BadInputException("step '" + step + "' did not write its declared output '" + name + "'");
        }
        String key = Layout.outputKey(step, item, name);
        String checksum = sha256(f);
        ports.output().put(key, f, Precondition.matching(before.get(name)));
        written.put(ports.output().uri(key), checksum);
      }
      return written;
    } finally {
      deleteTree(scratch);
    }
  }

  /**
   * Runs the step on a runner thread, renewing the claim every {@code renewEvery} while it runs.
   * An instance whose run is abandoned (timed out, lease lost, interrupted) is set aside and closed
   * by its own thread when {@code process} returns, never while it runs (see {@link Step}).
   */
  private void runWithTimeout(LocalFiles files, Held held) throws Exception {
    Step instance = instances.borrow();
    // 0 running, 1 returned, 2 abandoned: whoever moves it off 0 decides who closes the instance.
    java.util.concurrent.atomic.AtomicInteger state = new java.util.concurrent.atomic.AtomicInteger();
    Future<Void> f = runner.submit(() -> {
      try {
        instance.process(files, files.output);
        return null;
      } finally {
        if (!state.compareAndSet(0, 1)) instances.discard(instance);
      }
    });
    long deadline = System.nanoTime() + spec.timeout().toNanos();
    try {
      while (true) {
        long left = deadline - System.nanoTime();
        try {
          f.get(Math.max(0, Math.min(left, leaseTerms.renewEvery().toNanos())), TimeUnit.NANOSECONDS);
          instances.giveBack(instance);
          return;
        } catch (TimeoutException e) {
          if (System.nanoTime() - deadline >= 0) {
            throw new StepTimeoutException("step '" + step + "' timed out after " + spec.timeout().toSeconds() + " s");
          }
          renew(held);
        }
      }
    } catch (ExecutionException e) {
      instances.giveBack(instance);
      Throwable cause = e.getCause();
      if (cause instanceof Exception ex) throw ex;
      throw new IllegalStateException(cause);
    } catch (Exception e) {
      // Timed out, lease lost, or interrupted: the run is abandoned, its instance set aside.
      f.cancel(true);
      if (!state.compareAndSet(0, 2)) instances.discard(instance); // it returned just now
      throw e;
    }
  }

  /** Extends the lease of a running step; a failed write is tried again at the next renewal. */
  private void renew(Held held) throws LeaseLostException {
    boolean kept;
    try {
      kept = ports.ledger().renew(held.key(), held.owner(), ports.clock().instant().plus(lease()));
    } catch (RuntimeException e) {
      return; // the lease has two more renewals' worth of time left
    }
    if (!kept) throw new LeaseLostException("lease lost while running: taken over by another worker");
  }

  private void deadLetter(Message original, String reason) {
    Map<String, String> attrs = new LinkedHashMap<>(original.attributes());
    attrs.put("wavegraph-step", step);
    attrs.put("wavegraph-error", reason.length() > 1000 ? reason.substring(0, 1000) : reason);
    ports.bus().publish(layout.deadLetterTopic(step), new Message(original.data(), attrs));
  }

  private void emit(String item, Kind kind, String detail) {
    listener.on(new PipelineEvent(step, item, kind, detail, ports.clock().instant()));
  }

  private static String itemAttribute(Delivery d) {
    return d.message().attributes().getOrDefault(EnvelopeCodec.ATTR_ITEM, "?");
  }

  /** The exception's message, with its causes' messages where they add something. */
  static String describe(Throwable e) {
    StringBuilder b = new StringBuilder();
    Set<String> seen = new LinkedHashSet<>();
    for (Throwable t = e; t != null && seen.size() < 4; t = t.getCause()) {
      String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
      if (seen.add(m) && (b.length() == 0 || !b.toString().contains(m))) {
        if (b.length() > 0) b.append(": ");
        b.append(m);
      }
    }
    return b.toString();
  }

  static String sha256(Path f) throws IOException {
    try (InputStream in = Files.newInputStream(f)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      int n;
      while ((n = in.read(buf)) > 0) md.update(buf, 0, n);
      return "sha256:" + java.util.HexFormat.of().formatHex(md.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // Scratch space; the runtime clears its scratch root when it closes.
    }
  }

  @Override
  public void close() {
    instances.close();
  }
}
