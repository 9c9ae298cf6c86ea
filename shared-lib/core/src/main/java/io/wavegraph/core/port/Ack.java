package io.wavegraph.core.port;

/** What a subscriber says about a delivery. */
public enum Ack {
  /** Done with it: never deliver it again. */
  ACK,
  /** Not done: deliver it again after a backoff, or dead-letter it after the last attempt. */
  NACK
}
