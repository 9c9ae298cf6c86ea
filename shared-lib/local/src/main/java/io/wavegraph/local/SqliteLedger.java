package io.wavegraph.local;

import static io.wavegraph.local.LedgerRows.COLUMNS;
import static io.wavegraph.local.LedgerRows.millis;

import io.wavegraph.core.port.Completion;
import io.wavegraph.core.port.Ledger;
import io.wavegraph.core.port.LedgerRecord;
import io.wavegraph.core.port.LedgerState;
import io.wavegraph.core.port.StepItem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import org.sqlite.SQLiteConfig;

/**
 * The {@link Ledger} of the embedded runtime: one SQLite file in WAL mode, one row per (step,
 * item). Safe for any number of threads, and for several instances (or processes) on one file:
 * every claim is a single compare-and-set on the row's revision inside a write transaction.
 *
 * <p>Reads and writes go through two connections, so the many {@link #get} calls of a re-run's
 * skip path never wait behind a write. Everything is durable once a call returns, except that with
 * {@code synchronous=NORMAL} a power loss may forget the last few commits (never corrupt the file).
 * Instants are kept to the millisecond. Failures of the database surface as {@link
 * UncheckedIOException}.
 */
public final class SqliteLedger implements Ledger {
  private static final int BUSY_TIMEOUT_MS = 30_000;

  private static final int BATCH = 500;
  private static final String SELECT_ONE = "SELECT " + COLUMNS + " FROM ledger WHERE step = ? AND item = ?";
  private static final String CLAIM_NEW = """
      INSERT INTO ledger (step, item, state, owner, lease_until, attempts, started, revision)
      VALUES (?, ?, 'CLAIMED', ?, ?, 1, ?, 1)
      ON CONFLICT (step, item) DO UPDATE SET
        state = 'CLAIMED', owner = excluded.owner, lease_until = excluded.lease_until,
        attempts = ledger.attempts + 1, started = excluded.started, revision = ledger.revision + 1
      WHERE ledger.revision = 0""";
  private static final String CLAIM_EXISTING = """
      UPDATE ledger SET
        state = 'CLAIMED', owner = ?, lease_until = ?,
        attempts = CASE WHEN state = 'CLAIMED' THEN attempts + 1 ELSE 1 END, started = ?,
        revision = revision + 1
      WHERE step = ? AND item = ? AND revision = ?
        AND NOT (state = 'CLAIMED' AND lease_until > ? AND owner IS NOT ?)""";

  private final Path file;
  private final Connection reader;
  private final Connection writer;
  /** Prepared once: the skip path of a re-run does one of these per message. */
  private final PreparedStatement readOne;
  private final ReentrantLock readLock = new ReentrantLock();
  private final ReentrantLock writeLock = new ReentrantLock();

  private SqliteLedger(Path file, Connection reader, Connection writer) throws SQLException {
    this.file = file;
    this.reader = reader;
    this.writer = writer;
    this.readOne = reader.prepareStatement(SELECT_ONE);
  }

  /**
   * Opens the ledger in {@code dbFile}, creating the file, its folder and its table when missing.
   *
   * @throws UncheckedIOException when the file cannot be opened as a ledger
   */
  public static SqliteLedger open(Path dbFile) {
    Path file = dbFile.toAbsolutePath().normalize();
    Connection writer = null;
    Connection reader = null;
    try {
      if (file.getParent() != null) Files.createDirectories(file.getParent());
      SQLiteConfig config = new SQLiteConfig();
      config.setJournalMode(SQLiteConfig.JournalMode.WAL);
      config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
      config.setBusyTimeout(BUSY_TIMEOUT_MS);
      String url = "jdbc:sqlite:" + file;
      writer = DriverManager.getConnection(url, config.toProperties());
      try (Statement s = writer.createStatement()) {
        s.execute(LedgerRows.SCHEMA);
      }
      reader = DriverManager.getConnection(url, config.toProperties());
      return new SqliteLedger(file, reader, writer);
    } catch (SQLException | IOException e) {
      closeQuietly(reader);
      closeQuietly(writer);
      throw new UncheckedIOException(new IOException("cannot open ledger " + file + ": " + e.getMessage(), e));
    }
  }

  @Override
  public Optional<LedgerRecord> get(StepItem key) {
    readLock.lock();
    try {
      return selectOne(readOne, key);
    } catch (SQLException e) {
      throw failure("get " + key, e);
    } finally {
      readLock.unlock();
    }
  }

  /** One query per {@value #BATCH} items (a statement per item cost more than decoding its row). */
  @Override
  public Map<String, LedgerRecord> getAll(String step, Collection<String> items) {
    Map<String, LedgerRecord> out = new HashMap<>();
    List<String> all = List.copyOf(items);
    readLock.lock();
    try {
      for (int from = 0; from < all.size(); from += BATCH) {
        List<String> chunk = all.subList(from, Math.min(all.size(), from + BATCH));
        String sql = "SELECT " + COLUMNS + " FROM ledger WHERE step = ? AND item IN ("
            + String.join(", ", java.util.Collections.nCopies(chunk.size(), "?")) + ")";
        try (PreparedStatement s = reader.prepareStatement(sql)) {
          s.setString(1, step);
          for (int i = 0; i < chunk.size(); i++) s.setString(i + 2, chunk.get(i));
          try (ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
              LedgerRecord r = LedgerRows.read(rs);
              out.put(r.key().item(), r);
            }
          }
        }
      }
      return out;
    } catch (SQLException e) {
      throw failure("get " + items.size() + " item(s) of " + step, e);
    } finally {
      readLock.unlock();
    }
  }

  @Override
  public Optional<LedgerRecord> claim(
      StepItem key, LedgerRecord expected, String owner, Instant now, Duration lease) {
    long expectedRevision = expected == null ? 0 : expected.revision();
    long until = millis(now.plus(lease));
    return inWriteTransaction("claim " + key, () -> {
      int changed;
      if (expectedRevision == 0) {
        // Absent, or a bare record that only noted a ping: both have revision 0.
        try (PreparedStatement s = writer.prepareStatement(CLAIM_NEW)) {
          bind(s, key.step(), key.item(), owner, until, millis(now));
          changed = s.executeUpdate();
        }
      } else {
        try (PreparedStatement s = writer.prepareStatement(CLAIM_EXISTING)) {
          bind(s, owner, until, millis(now), key.step(), key.item(), expectedRevision, millis(now), owner);
          changed = s.executeUpdate();
        }
      }
      if (changed == 0) return Optional.<LedgerRecord>empty();
      try (PreparedStatement s = writer.prepareStatement(SELECT_ONE)) {
        return selectOne(s, key);
      }
    });
  }

  @Override
  public boolean renew(StepItem key, String owner, Instant until) {
    return update("renew " + key, """
        UPDATE ledger SET lease_until = ?, revision = revision + 1
        WHERE step = ? AND item = ? AND state = 'CLAIMED' AND owner = ?""",
        millis(until), key.step(), key.item(), owner) == 1;
  }

  @Override
  public boolean complete(StepItem key, String owner, Completion completion) {
    return update("complete " + key, """
        UPDATE ledger SET state = 'DONE', version = ?, inputs = ?, outputs = ?, finished = ?,
          revision = revision + 1
        WHERE step = ? AND item = ? AND state = 'CLAIMED' AND owner = ?""",
        completion.version(), LedgerRows.toJson(completion.inputs()), LedgerRows.toJson(completion.outputs()),
        millis(completion.finished()), key.step(), key.item(), owner) == 1;
  }

  @Override
  public boolean fail(StepItem key, String owner, String error, boolean permanent, Instant now) {
    String sql = permanent
        ? """
          UPDATE ledger SET state = 'FAILED', error = ?, lease_until = ?, finished = ?, revision = revision + 1
          WHERE step = ? AND item = ? AND state = 'CLAIMED' AND owner = ?"""
        : """
          UPDATE ledger SET error = ?, lease_until = ?, revision = revision + 1
          WHERE step = ? AND item = ? AND state = 'CLAIMED' AND owner = ?""";
    Object[] args = permanent
        ? new Object[] {error, millis(now), millis(now), key.step(), key.item(), owner}
        : new Object[] {error, millis(now), key.step(), key.item(), owner};
    return update("fail " + key, sql, args) == 1;
  }

  @Override
  public void notePing(StepItem key, Instant now) {
    update("note ping " + key, """
        INSERT INTO ledger (step, item, pinged) VALUES (?, ?, ?)
        ON CONFLICT (step, item) DO UPDATE SET pinged = excluded.pinged""",
        key.step(), key.item(), millis(now));
  }

  @Override
  public List<LedgerRecord> records(String step) {
    readLock.lock();
    try (PreparedStatement s = reader.prepareStatement("SELECT " + COLUMNS + " FROM ledger WHERE step = ? ORDER BY item")) {
      s.setString(1, step);
      List<LedgerRecord> out = new ArrayList<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) out.add(LedgerRows.read(rs));
      }
      return out;
    } catch (SQLException e) {
      throw failure("list " + step, e);
    } finally {
      readLock.unlock();
    }
  }

  /**
   * Ends at {@code now} every live claim whose record {@code provablyDead} accepts, so that the next
   * delivery of each takes it over at once. For a runner that holds the work directory's lock: a
   * claim that a runner of this directory made is from a run that died; any other claim is left
   * to run out.
   *
   * @return how many claims were released
   */
  public int releaseLeases(Instant now, java.util.function.Predicate<LedgerRecord> provablyDead) {
    List<LedgerRecord> live = new ArrayList<>();
    readLock.lock();
    try (PreparedStatement s = reader.prepareStatement(
        "SELECT " + COLUMNS + " FROM ledger WHERE state = 'CLAIMED' AND lease_until > ?")) {
      s.setLong(1, millis(now));
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) live.add(LedgerRows.read(rs));
      }
    } catch (SQLException e) {
      throw failure("list live claims", e);
    } finally {
      readLock.unlock();
    }
    int n = 0;
    for (LedgerRecord r : live) {
      if (!provablyDead.test(r)) continue;
      n += update("release lease " + r.key(), """
          UPDATE ledger SET lease_until = ?, revision = revision + 1
          WHERE step = ? AND item = ? AND revision = ?""",
          millis(now), r.key().step(), r.key().item(), r.revision());
    }
    return n;
  }

  /** How many records each step has in each state, steps in name order; bare ping records left out. */
  public Map<String, Map<LedgerState, Integer>> counts() {
    readLock.lock();
    try (PreparedStatement s = reader.prepareStatement(
        "SELECT step, state, COUNT(*) FROM ledger WHERE state IS NOT NULL GROUP BY step, state")) {
      Map<String, Map<LedgerState, Integer>> out = new TreeMap<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          out.computeIfAbsent(rs.getString(1), k -> new EnumMap<>(LedgerState.class))
              .put(LedgerState.valueOf(rs.getString(2)), rs.getInt(3));
        }
      }
      return out;
    } catch (SQLException e) {
      throw failure("count", e);
    } finally {
      readLock.unlock();
    }
  }

  @Override
  public void close() {
    readLock.lock();
    try {
      closeQuietly(reader);
    } finally {
      readLock.unlock();
    }
    writeLock.lock();
    try {
      closeQuietly(writer);
    } finally {
      writeLock.unlock();
    }
  }

  @Override
  public String toString() {
    return "SqliteLedger[" + file + "]";
  }

  private interface Work<T> {
    T run() throws SQLException;
  }

  /**
   * Runs {@code work} in a transaction that takes the write lock at its start (BEGIN IMMEDIATE),
   * so what it reads back is what it wrote, whoever else writes the file.
   */
  private <T> T inWriteTransaction(String what, Work<T> work) {
    writeLock.lock();
    try (Statement s = writer.createStatement()) {
      s.execute("BEGIN IMMEDIATE");
      boolean committed = false;
      try {
        T result = work.run();
        s.execute("COMMIT");
        committed = true;
        return result;
      } finally {
        if (!committed) s.execute("ROLLBACK");
      }
    } catch (SQLException e) {
      throw failure(what, e);
    } finally {
      writeLock.unlock();
    }
  }

  private int update(String what, String sql, Object... args) {
    writeLock.lock();
    try (PreparedStatement s = writer.prepareStatement(sql)) {
      bind(s, args);
      return s.executeUpdate();
    } catch (SQLException e) {
      throw failure(what, e);
    } finally {
      writeLock.unlock();
    }
  }

  private static Optional<LedgerRecord> selectOne(PreparedStatement s, StepItem key) throws SQLException {
    s.setString(1, key.step());
    s.setString(2, key.item());
    try (ResultSet rs = s.executeQuery()) {
      return rs.next() ? Optional.of(LedgerRows.read(rs)) : Optional.empty();
    }
  }

  private static void bind(PreparedStatement s, Object... args) throws SQLException {
    for (int i = 0; i < args.length; i++) s.setObject(i + 1, args[i]);
  }

  private UncheckedIOException failure(String what, SQLException e) {
    return new UncheckedIOException(new IOException("ledger " + file + ": " + what + ": " + e.getMessage(), e));
  }

  private static void closeQuietly(Connection c) {
    if (c == null) return;
    try {
      c.close();
    } catch (SQLException ignored) {
      // closing: nothing left to do with it
    }
  }
}
