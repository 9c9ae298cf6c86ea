package io.wavegraph.core.pipeline;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkdirLockTest {
  @TempDir Path tmp;

  @Test
  void aSecondHolderIsRefusedUntilTheFirstLetsGo() throws IOException {
    Path work = tmp.resolve("work");
    try (WorkdirLock first = WorkdirLock.acquire(work)) {
      assertThatThrownBy(() -> WorkdirLock.acquire(work))
          .isInstanceOf(IOException.class)
          .hasMessage("another wavegraph process is using the work directory " + work);
    }
    WorkdirLock.acquire(work).close();
  }
}
