package io.wavegraph.gcp;

import io.wavegraph.testkit.Skips;
import java.time.Duration;

/**
 * An emulator for one test class: the one named by its environment variable when set
 * ({@code FIRESTORE_EMULATOR_HOST}, {@code PUBSUB_EMULATOR_HOST}), else one started here on a free
 * loopback port and stopped by {@link #close()}. When neither is possible the class is skipped,
 * loudly: one line on stdout says why.
 */
final class EmulatorFixture implements AutoCloseable {
  private final String host;
  private final Emulator started;

  private EmulatorFixture(String host, Emulator started) {
    this.host = host;
    this.started = started;
  }

  static EmulatorFixture startOrSkip(Emulator.Kind kind, Class<?> test) {
    String env = System.getenv(kind.hostVariable());
    if (env != null && !env.isBlank() && Emulator.answers(env)) return new EmulatorFixture(env, null);
    Skips.unless(test, Emulator.whyUnavailable(kind).map(why -> "the " + kind + " emulator is not available here: " + why
        + ". Install the gcloud SDK with its emulators (or set " + kind.hostVariable() + ") to run it."));
    return new EmulatorFixture(null, Emulator.start(kind, "256m", Duration.ofSeconds(60)));
  }

  String host() {
    return started != null ? started.host() : host;
  }

  @Override
  public void close() {
    if (started != null) started.close();
  }
}
