package io.wavegraph.cli;

import io.wavegraph.core.port.Completion;
import io.wavegraph.core.port.StepItem;
import io.wavegraph.local.SqliteLedger;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A ledger as a large run leaves it, written through the port: every item done at every step, one in fifty failed at the first. */
final class SyntheticLedger {
  private SyntheticLedger() {}

  static void write(Path file, List<String> steps, int items) {
    Instant t0 = Instant.parse("2026-12-01T10:00:00Z");
    try (SqliteLedger ledger = SqliteLedger.open(file)) {
      for (int i = 0; i < items; i++) {
        String item = "tracks/t" + i;
        for (int s = 0; s < steps.size(); s++) {
          StepItem key = new StepItem(steps.get(s), item);
          Instant start = t0.plusMillis(i * 40L + s * 10L);
          ledger.claim(key, null, "w", start, Duration.ofMinutes(5)).orElseThrow();
          if (s == 0 && i % 50 == 0) {
            ledger.fail(key, "w", item + ".wav: not a WAV file (no RIFF header)", true, start);
            break;
          }
          String from = s == 0 ? "file:///in/" + item + ".wav" : "file:///work/outputs/" + steps.get(0) + "/" + item + ".wav";
          String out = "file:///work/outputs/" + steps.get(s) + "/" + item + ".json";
          ledger.complete(key, "w", new Completion("1.0a1b2c3d-0123456789ab",
              Map.of(from, "sha256:" + Integer.toHexString(item.hashCode()).repeat(8)),
              Map.of(out, "sha256:" + "ab".repeat(32)), start.plusMillis(850)));
        }
      }
    }
  }
}
