package io.wavegraph.functions;

import io.wavegraph.gcp.Emulator;
import org.junit.jupiter.api.Assumptions;

/** For tests that need gcloud's Pub/Sub and Firestore emulators: skips them, loudly, without. */
final class Emulators {
  private Emulators() {}

  /** Aborts the calling test class (a JUnit assumption) with a SKIPPED line when an emulator is missing. */
  static void requireAll(String test) {
    for (Emulator.Kind k : Emulator.Kind.values()) {
      var why = Emulator.whyUnavailable(k);
      if (why.isPresent()) {
        String m = "SKIPPED " + test + ": the " + k + " emulator is not available: " + why.get();
        System.out.println(m);
        Assumptions.assumeTrue(false, m);
      }
    }
  }
}
