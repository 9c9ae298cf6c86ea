package io.wavegraph.core.port;

/** Where a (step, item) stands in the ledger. */
public enum LedgerState {
  /** Someone holds a lease and is working on it (or died; see the lease expiry). */
  CLAIMED,
  /** The outputs were written by the recorded version from the recorded inputs. */
  DONE,
  /** It failed for good after its retries; the error says why. */
  FAILED
}
