package io.wavegraph.core.pipeline;

import java.time.Instant;

/** Something the step pipeline did with one message, for counters, progress and logs. */
public record PipelineEvent(String step, String item, Kind kind, String detail, Instant at) {

  public enum Kind {
    /** The step ran and its outputs are recorded. */
    PROCESSED,
    /** The outputs were current: no work, passed on. */
    SKIPPED,
    /** Failed for good: recorded in the ledger and dead-lettered. */
    FAILED,
    /** Failed this attempt; the message will be redelivered. */
    RETRYING,
    /** An input was missing: asked the parents named in {@code detail} for it. */
    REQUESTED,
    /** An input is being made by someone else right now: the message comes back (nack) until it is. */
    WAITING,
    /** Someone else holds a live claim on the item: the message comes back (nack) until it ends. */
    BUSY,
    /** A ping passed through. */
    PING,
    /** Not a recipient: acknowledged and dropped. */
    DROPPED,
    /** The claim was lost (taken over after its lease ran out): nothing recorded or passed on; nacked. */
    LOST_CLAIM,
    /** The message was not a valid envelope: dead-lettered. */
    INVALID,
    /** Admitted to a batch step's batch, named in {@code detail}, to run when the batch does. */
    BATCHED
  }
}
