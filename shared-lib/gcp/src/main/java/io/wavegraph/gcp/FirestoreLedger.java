package io.wavegraph.gcp;

import com.google.cloud.Timestamp;
import com.google.cloud.firestore.CollectionReference;
import com.google.cloud.firestore.DocumentReference;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.FieldPath;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.Precondition;
import com.google.cloud.firestore.Query;
import com.google.cloud.firestore.QueryDocumentSnapshot;
import com.google.cloud.firestore.QuerySnapshot;
import com.google.cloud.firestore.SetOptions;
import io.wavegraph.core.port.Completion;
import io.wavegraph.core.port.Ledger;
import io.wavegraph.core.port.LedgerDocumentId;
import io.wavegraph.core.port.LedgerRecord;
import io.wavegraph.core.port.LedgerState;
import io.wavegraph.core.port.StepItem;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The {@link Ledger} in Firestore: one document per (step, item) in one collection, its id
 * {@link LedgerDocumentId} (a hash: no hotspots, and item ids may hold '/', which a document id may
 * not). The generated workflows compute the same id and read the string field {@code state}, in
 * lower case ({@code claimed}, {@code done}, {@code failed}); see docs/function-config.md.
 *
 * <p>Claims of nothing are {@code create()}: of racing creators exactly one wins and the others
 * get ALREADY_EXISTS, fast and without a transaction. Every other change reads the document,
 * checks revision, owner and lease, and writes with {@code Precondition.updatedAt} of what it
 * read: a write that lost a race fails its precondition and is re-checked against the new
 * document (so a concurrent ping, which changes the update time but not the revision, does not
 * make a claim lose). No transactions: on the emulator a contended one takes seconds.
 *
 * <p>Every write sets {@code expireAt} to its time plus the retention, for a Firestore TTL policy
 * on that field. {@link #records} queries on {@code step} ordered by document id, which the
 * automatic single-field index serves (no composite index needed), and sorts by item in memory.
 *
 * <p>Transient errors (UNAVAILABLE, DEADLINE_EXCEEDED, ...) are retried with {@link Backoff};
 * when they persist the call throws {@link java.io.UncheckedIOException}, which the step pipeline
 * answers with a nack.
 */
public final class FirestoreLedger implements Ledger {
  /** The default collection. */
  public static final String COLLECTION = "wavegraph-ledger";
  /** How long a record lives after its last write, by default (with a TTL policy on expireAt). */
  public static final Duration RETENTION = Duration.ofDays(400);

  private static final int PAGE = 500;
  private static final int CAS_TRIES = 20;

  private final Firestore db;
  private final CollectionReference collection;
  private final Duration retention;
  private final Backoff backoff;
  private final boolean ownsClient;

  /**
   * @param db the client; closed with this ledger when {@code ownsClient}
   * @param collection the collection holding the records
   */
  public FirestoreLedger(Firestore db, String collection, Duration retention, Backoff backoff, boolean ownsClient) {
    this.db = db;
    this.collection = db.collection(collection);
    this.retention = retention;
    this.backoff = backoff;
    this.ownsClient = ownsClient;
  }

  /** A ledger in {@link #COLLECTION} with the default retention and backoff; it closes {@code db}. */
  public FirestoreLedger(Firestore db) {
    this(db, COLLECTION, RETENTION, Backoff.defaults(), true);
  }

  /** The document id of a key: {@link LedgerDocumentId#of(StepItem)}. */
  public static String documentId(StepItem key) {
    return LedgerDocumentId.of(key);
  }

  /** The stored form of a state: lower case, as the workflows compare it. */
  static String stateField(LedgerState state) {
    return state.name().toLowerCase(Locale.ROOT);
  }

  @Override
  public Optional<LedgerRecord> get(StepItem key) {
    DocumentSnapshot s = read(key);
    return s.exists() ? Optional.of(decode(key, s)) : Optional.empty();
  }

  @Override
  public Optional<LedgerRecord> claim(
      StepItem key, LedgerRecord expected, String owner, Instant now, Duration lease) {
    long expectedRevision = expected == null ? 0 : expected.revision();
    Instant until = now.plus(lease);
    if (expectedRevision == 0) {
      Optional<LedgerRecord> created = createClaim(key, owner, now, until);
      if (created != null) return created;
    }
    for (int i = 0; i < CAS_TRIES; i++) {
      DocumentSnapshot s = read(key);
      if (!s.exists()) {
        if (expectedRevision != 0) return Optional.empty(); // the record the caller read is gone
        Optional<LedgerRecord> created = createClaim(key, owner, now, until);
        if (created != null) return created;
        continue;
      }
      LedgerRecord current = decode(key, s);
      if (current.revision() != expectedRevision) return Optional.empty();
      if (current.isLiveClaim(now) && !owner.equals(current.owner())) return Optional.empty();
      LedgerRecord next = new LedgerRecord(key, LedgerState.CLAIMED, current.version(), current.inputs(),
          current.outputs(), owner, until,
          current.state() == LedgerState.CLAIMED ? current.attempts() + 1 : 1, current.error(), now, current.finished(),
          current.pinged(), current.revision() + 1);
      Map<String, Object> fields = new HashMap<>();
      fields.put("state", stateField(LedgerState.CLAIMED));
      fields.put("owner", owner);
      fields.put("leaseUntil", ts(until));
      fields.put("attempts", (long) next.attempts());
      fields.put("started", ts(now));
      fields.put("revision", next.revision());
      fields.put("expireAt", ts(now.plus(retention)));
      if (updateIfUnchanged(key, s, fields)) return Optional.of(next);
    }
    return Optional.empty();
  }

  /** The new claim; empty when a live record already exists; null when only a bare ping record does. */
  private Optional<LedgerRecord> createClaim(StepItem key, String owner, Instant now, Instant until) {
    Map<String, Object> doc = new HashMap<>();
    doc.put("step", key.step());
    doc.put("item", key.item());
    doc.put("state", stateField(LedgerState.CLAIMED));
    doc.put("owner", owner);
    doc.put("leaseUntil", ts(until));
    doc.put("attempts", 1L);
    doc.put("started", ts(now));
    doc.put("revision", 1L);
    doc.put("expireAt", ts(now.plus(retention)));
    boolean created = backoff.run("claim " + key, () -> {
      try {
        collection.document(documentId(key)).create(doc).get();
        return true;
      } catch (Exception e) {
        if (StatusCodes.is(e, "ALREADY_EXISTS")) return false;
        throw e;
      }
    });
    if (created) {
      return Optional.of(new LedgerRecord(key, LedgerState.CLAIMED, null, Map.of(), Map.of(), owner, until, 1,
          null, now, null, null, 1));
    }
    return null;
  }

  @Override
  public boolean renew(StepItem key, String owner, Instant until) {
    return ownerWrite(key, owner, current -> {
      Map<String, Object> f = new HashMap<>();
      f.put("leaseUntil", ts(until));
      f.put("revision", current.revision() + 1);
      return f;
    });
  }

  @Override
  public boolean complete(StepItem key, String owner, Completion completion) {
    return ownerWrite(key, owner, current -> {
      Map<String, Object> f = new HashMap<>();
      f.put("state", stateField(LedgerState.DONE));
      f.put("version", completion.version());
      f.put("inputs", completion.inputs());
      f.put("outputs", completion.outputs());
      f.put("finished", ts(completion.finished()));
      f.put("revision", current.revision() + 1);
      f.put("expireAt", ts(completion.finished().plus(retention)));
      return f;
    });
  }

  @Override
  public boolean fail(StepItem key, String owner, String error, boolean permanent, Instant now) {
    return ownerWrite(key, owner, current -> {
      Map<String, Object> f = new HashMap<>();
      if (permanent) {
        f.put("state", stateField(LedgerState.FAILED));
        f.put("finished", ts(now));
      }
      f.put("error", error);
      f.put("leaseUntil", ts(now));
      f.put("revision", current.revision() + 1);
      f.put("expireAt", ts(now.plus(retention)));
      return f;
    });
  }

  private interface Change {
    Map<String, Object> fields(LedgerRecord current);
  }

  /** Applies {@code change} if {@code owner} holds the claim, re-checking after a lost race. */
  private boolean ownerWrite(StepItem key, String owner, Change change) {
    for (int i = 0; i < CAS_TRIES; i++) {
      DocumentSnapshot s = read(key);
      if (!s.exists()) return false;
      LedgerRecord current = decode(key, s);
      if (current.state() != LedgerState.CLAIMED || !owner.equals(current.owner())) return false;
      if (updateIfUnchanged(key, s, change.fields(current))) return true;
    }
    return false;
  }

  @Override
  public void notePing(StepItem key, Instant now) {
    Map<String, Object> doc = new HashMap<>();
    doc.put("step", key.step());
    doc.put("item", key.item());
    doc.put("pinged", ts(now));
    doc.put("expireAt", ts(now.plus(retention)));
    backoff.run("note ping " + key, () -> collection.document(documentId(key)).set(doc, SetOptions.merge()).get());
  }

  @Override
  public List<LedgerRecord> records(String step) {
    List<LedgerRecord> out = new ArrayList<>();
    Query base = collection.whereEqualTo("step", step).orderBy(FieldPath.documentId()).limit(PAGE);
    DocumentSnapshot last = null;
    while (true) {
      Query q = last == null ? base : base.startAfter(last);
      QuerySnapshot page = backoff.run("list " + step, () -> q.get().get());
      for (QueryDocumentSnapshot d : page.getDocuments()) {
        out.add(decode(new StepItem(step, d.getString("item")), d));
      }
      if (page.size() < PAGE) break;
      last = page.getDocuments().get(page.size() - 1);
    }
    out.sort(Comparator.comparing(r -> r.key().item()));
    return out;
  }

  @Override
  public void close() {
    if (!ownsClient) return;
    try {
      db.close();
    } catch (Exception e) {
      if (e instanceof InterruptedException) Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "FirestoreLedger[" + collection.getPath() + "]";
  }

  private DocumentSnapshot read(StepItem key) {
    return backoff.run("read " + key, () -> collection.document(documentId(key)).get().get());
  }

  /** Writes {@code fields} if the document was not written since {@code read}; false if it was. */
  private boolean updateIfUnchanged(StepItem key, DocumentSnapshot read, Map<String, Object> fields) {
    DocumentReference doc = collection.document(documentId(key));
    return backoff.run("write " + key, () -> {
      try {
        doc.update(fields, Precondition.updatedAt(read.getUpdateTime())).get();
        return true;
      } catch (Exception e) {
        if (StatusCodes.is(e, "FAILED_PRECONDITION") || StatusCodes.is(e, "NOT_FOUND")) return false;
        throw e;
      }
    });
  }

  @SuppressWarnings("unchecked")
  static LedgerRecord decode(StepItem key, DocumentSnapshot s) {
    String state = s.getString("state");
    Long attempts = s.getLong("attempts");
    Long revision = s.getLong("revision");
    return new LedgerRecord(
        key,
        state == null ? null : LedgerState.valueOf(state.toUpperCase(Locale.ROOT)),
        s.getString("version"),
        (Map<String, String>) s.get("inputs"),
        (Map<String, String>) s.get("outputs"),
        s.getString("owner"),
        instant(s.getTimestamp("leaseUntil")),
        attempts == null ? 0 : attempts.intValue(),
        s.getString("error"),
        instant(s.getTimestamp("started")),
        instant(s.getTimestamp("finished")),
        instant(s.getTimestamp("pinged")),
        revision == null ? 0 : revision);
  }

  private static Timestamp ts(Instant i) {
    return Timestamp.ofTimeSecondsAndNanos(i.getEpochSecond(), i.getNano());
  }

  private static Instant instant(Timestamp t) {
    return t == null ? null : Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
  }
}
