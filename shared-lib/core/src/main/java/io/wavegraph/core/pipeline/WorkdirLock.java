package io.wavegraph.core.pipeline;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One runtime at a time per work directory (a file lock on {@code .lock}): whoever holds it knows
 * that any claim left in the directory's ledger is from a run that died. The operating system
 * releases it with the process, so a killed run never leaves it behind.
 */
public final class WorkdirLock implements AutoCloseable {
  private final FileChannel channel;
  private final FileLock lock;

  private WorkdirLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Creates the directory if needed and takes its lock.
   *
   * @throws IOException also when another process holds it
   */
  public static WorkdirLock acquire(Path workdir) throws IOException {
    Files.createDirectories(workdir);
    FileChannel channel = FileChannel.open(workdir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (java.nio.channels.OverlappingFileLockException e) {
      lock = null; // held by this same process
    }
    if (lock == null) {
      channel.close();
      throw new IOException("another wavegraph process is using the work directory " + workdir);
    }
    return new WorkdirLock(channel, lock);
  }

  @Override
  public void close() {
    try {
      lock.release();
      channel.close();
    } catch (IOException ignored) {
      // The lock goes with the process anyway.
    }
  }
}
