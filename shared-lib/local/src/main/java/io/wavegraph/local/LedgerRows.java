package io.wavegraph.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wavegraph.core.port.LedgerRecord;
import io.wavegraph.core.port.LedgerState;
import io.wavegraph.core.port.StepItem;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/** How a {@link LedgerRecord} is laid out in the SQLite table: instants as epoch millis, maps as JSON. */
final class LedgerRows {
  static final String SCHEMA = """
      CREATE TABLE IF NOT EXISTS ledger (
        step        TEXT NOT NULL,
        item        TEXT NOT NULL,
        state       TEXT,
        version     TEXT,
        inputs      TEXT NOT NULL DEFAULT '{}',
        outputs     TEXT NOT NULL DEFAULT '{}',
        owner       TEXT,
        lease_until INTEGER,
        attempts    INTEGER NOT NULL DEFAULT 0,
        error       TEXT,
        started     INTEGER,
        finished    INTEGER,
        pinged      INTEGER,
        revision    INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (step, item)
      ) WITHOUT ROWID""";

  static final String COLUMNS =
      "step, item, state, version, inputs, outputs, owner, lease_until, attempts, error, started, finished, pinged, revision";

  // The maps are keyed by URIs, a new name for every item: Jackson's shared table of field names
  // would keep each one, growing with the catalog and slowing every lookup (it was the top of a
  // profile of a re-run over 10,000 items). Names are not canonicalised here.
  private static final ObjectMapper JSON = new ObjectMapper(
      com.fasterxml.jackson.core.JsonFactory.builder().disable(com.fasterxml.jackson.core.JsonFactory.Feature.CANONICALIZE_FIELD_NAMES).build());
  private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {};

  private LedgerRows() {}

  /** The record in the current row of {@code rs}, selected with {@link #COLUMNS}. */
  static LedgerRecord read(ResultSet rs) throws SQLException {
    String state = rs.getString(3);
    return new LedgerRecord(
        new StepItem(rs.getString(1), rs.getString(2)),
        state == null ? null : LedgerState.valueOf(state),
        rs.getString(4),
        fromJson(rs.getString(5)),
        fromJson(rs.getString(6)),
        rs.getString(7),
        instant(rs, 8),
        rs.getInt(9),
        rs.getString(10),
        instant(rs, 11),
        instant(rs, 12),
        instant(rs, 13),
        rs.getLong(14));
  }

  static long millis(Instant t) {
    return t.toEpochMilli();
  }

  /** Sorted keys, so equal maps are equal strings. */
  static String toJson(Map<String, String> map) {
    try {
      return JSON.writeValueAsString(new TreeMap<>(map));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write " + map + " as JSON", e);
    }
  }

  private static Map<String, String> fromJson(String json) throws SQLException {
    try {
      return json == null ? Map.of() : JSON.readValue(json, STRING_MAP);
    } catch (JsonProcessingException e) {
      throw new SQLException("corrupt JSON in ledger: " + json, e);
    }
  }

  private static Instant instant(ResultSet rs, int column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : Instant.ofEpochMilli(v);
  }
}
