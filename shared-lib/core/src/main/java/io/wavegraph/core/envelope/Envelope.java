package io.wavegraph.core.envelope;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The message between steps. Immutable; the {@code with…} methods return changed copies.
 *
 * @param item the item id (validated)
 * @param force redo results even when they are current (once per request: see {@link Trace})
 * @param ping do no work, only pass on, to check the wiring
 * @param direction {@code down} from parents to children, {@code up} a request to a parent
 * @param recipients the steps that should act on it
 * @param downstream the path back to the requester in a bottom-up run, next hop first
 * @param visited the steps it went through, in order (an audit trail)
 * @param trace the request it belongs to
 */
public record Envelope(
    String item,
    boolean force,
    boolean ping,
    Direction direction,
    Recipients recipients,
    List<String> downstream,
    List<String> visited,
    Trace trace) {

  /** The schema version written by this code; readers accept it and older ones. */
  public static final int VERSION = 1;

  public Envelope {
    Objects.requireNonNull(item, "item");
    Objects.requireNonNull(direction, "direction");
    Objects.requireNonNull(recipients, "recipients");
    Objects.requireNonNull(trace, "trace");
    downstream = List.copyOf(downstream);
    visited = List.copyOf(visited);
  }

  /** A new top-down request for every step, for one item. */
  public static Envelope request(String item, Instant now) {
    return new Envelope(
        item, false, false, Direction.DOWN, Recipients.all(), List.of(), List.of(), Trace.start(now));
  }

  public Envelope withForce(boolean force) {
    return new Envelope(item, force, ping, direction, recipients, downstream, visited, trace);
  }

  public Envelope withPing(boolean ping) {
    return new Envelope(item, force, ping, direction, recipients, downstream, visited, trace);
  }

  public Envelope withRecipients(Recipients recipients) {
    return new Envelope(item, force, ping, direction, recipients, downstream, visited, trace);
  }

  public Envelope withDirection(Direction direction) {
    return new Envelope(item, force, ping, direction, recipients, downstream, visited, trace);
  }

  public Envelope withDownstream(List<String> downstream) {
    return new Envelope(item, force, ping, direction, recipients, downstream, visited, trace);
  }

  /** This envelope as passed on by {@code step}: {@code step} appended to {@link #visited}. */
  public Envelope visitedBy(String step) {
    List<String> v = new ArrayList<>(visited);
    v.add(step);
    return new Envelope(item, force, ping, direction, recipients, downstream, v, trace);
  }
}
