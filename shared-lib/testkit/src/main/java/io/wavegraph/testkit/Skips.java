package io.wavegraph.testkit;

import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/** Skipping a test that needs something this machine lacks, loudly: a SKIPPED line on stdout. */
public final class Skips {
  private Skips() {}

  /** Aborts {@code test} (a JUnit assumption) with {@code SKIPPED <test>: <why>} when {@code why} is present. */
  public static void unless(Class<?> test, Optional<String> why) {
    if (why.isEmpty()) return;
    String message = "SKIPPED " + test.getSimpleName() + ": " + why.get();
    System.out.println(message);
    Assumptions.assumeTrue(false, message);
  }
}
