package io.wavegraph.local;

import io.wavegraph.core.port.BlobInfo;
import io.wavegraph.core.port.BlobKeys;
import io.wavegraph.core.port.BlobStore;
import io.wavegraph.core.port.Precondition;
import io.wavegraph.core.port.PreconditionFailedException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A bucket kept as a folder: key {@code a/b.json} is the file {@code root/a/b.json}.
 *
 * <p>Writes are atomic: the content goes to a file in {@code root/.tmp/} (same file system), then
 * is renamed over the target, so a reader sees the old file or the new one, never part of one; a
 * crash leaves at most a stray temp file. Writes are not fsynced: they survive a crash of the
 * process, not of the machine.
 *
 * <p>Preconditions are checked under a lock per key in this store instance. Two stores (or two
 * processes) writing the same folder at once are not guarded against; the local runner holds a
 * lock on its work directory for that.
 *
 * <p>Generation: the file's modification time in nanoseconds, its size and a hash of its identity
 * (device and inode), e.g. {@code 1700000000123456000-42-5f3a1c}. Each write sets the new file's
 * modification time to the later of now and the previous one plus 1µs, so two writes in the same
 * clock tick still get different generations (on file systems that keep at least microseconds:
 * ext4, xfs, btrfs, tmpfs, APFS, NTFS). Files changed by someone else (a user's input folder) get
 * a new generation too, unless they are rewritten in place keeping size and time.
 *
 * <p>The key {@code .tmp} and everything under it are reserved. A key cannot also be the folder of
 * another ({@code a/b} and {@code a/b/c}), unlike in Cloud Storage: such a write fails with an
 * {@link IOException}. Deleting the last object of a folder removes the folder.
 */
public final class DirectoryBlobStore implements BlobStore {
  private static final String TMP = ".tmp";
  private static final int STRIPES = 64;
  /** Steps tried when a file system keeps coarser times than asked for (FAT keeps 2 s). */
  private static final long[] BUMPS_NANOS = {1_000, 1_000_000, 1_000_000_000, 2_000_000_000};

  private final Path root;
  private final Path tmp;
  private final Clock clock;
  private final boolean readOnly;
  private final ReentrantLock[] locks = new ReentrantLock[STRIPES];

  /** A store over {@code root}, which is created on the first write if it does not exist. */
  public DirectoryBlobStore(Path root) {
    this(root, Clock.systemUTC(), false);
  }

  /** As {@link #DirectoryBlobStore(Path)}, reading the time for generations from {@code clock}. */
  public DirectoryBlobStore(Path root, Clock clock) {
    this(root, clock, false);
  }

  private DirectoryBlobStore(Path root, Clock clock, boolean readOnly) {
    this.root = root.toAbsolutePath().normalize();
    this.tmp = this.root.resolve(TMP);
    this.clock = clock;
    this.readOnly = readOnly;
    for (int i = 0; i < STRIPES; i++) locks[i] = new ReentrantLock();
  }

  /**
   * A store that only reads {@code root}, such as a user's input folder: {@code put} and {@code
   * delete} throw {@link AccessDeniedException}, and nothing is ever created under it.
   */
  public static DirectoryBlobStore readOnly(Path root) {
    return new DirectoryBlobStore(root, Clock.systemUTC(), true);
  }

  /** The folder this store keeps its objects in. */
  public Path root() {
    return root;
  }

  @Override
  public Optional<BlobInfo> stat(String key) throws IOException {
    return info(key, path(key));
  }

  @Override
  public InputStream open(String key) throws IOException {
    Path file = path(key);
    if (!Files.isRegularFile(file)) throw new NoSuchFileException(file.toString(), null, "no object " + key);
    return Files.newInputStream(file);
  }

  @Override
  public BlobInfo put(String key, Path source, Precondition precondition) throws IOException {
    Path target = writable(key);
    if (!Files.isRegularFile(source)) throw new NoSuchFileException(source.toString(), null, "not a file");
    Path staged = stagingFile();
    try {
      Files.copy(source, staged, StandardCopyOption.REPLACE_EXISTING);
      return install(key, target, staged, precondition);
    } finally {
      Files.deleteIfExists(staged);
    }
  }

  @Override
  public BlobInfo put(String key, byte[] content, Precondition precondition) throws IOException {
    Path target = writable(key);
    Path staged = stagingFile();
    try {
      Files.write(staged, content, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      return install(key, target, staged, precondition);
    } finally {
      Files.deleteIfExists(staged);
    }
  }

  @Override
  public boolean delete(String key) throws IOException {
    Path target = writable(key);
    ReentrantLock lock = lockFor(key);
    lock.lock();
    try {
      if (!Files.isRegularFile(target) || !Files.deleteIfExists(target)) return false;
    } finally {
      lock.unlock();
    }
    removeEmptyFolders(target.getParent());
    return true;
  }

  @Override
  public List<BlobInfo> list(String prefix) throws IOException {
    if (prefix == null) throw new IllegalArgumentException("prefix is null");
    // Walk only the deepest folder the prefix names whole, then filter by the rest as a string.
    int slash = prefix.lastIndexOf('/');
    String folder = slash < 0 ? "" : prefix.substring(0, slash);
    if (!folder.isEmpty()) {
      String problem = BlobKeys.problem(folder, BlobKeys.MAX_BYTES);
      if (problem != null) throw new IllegalArgumentException("bad prefix '" + BlobKeys.printable(prefix) + "': " + problem);
      if (isReserved(folder)) return List.of();
    }
    Path start = folder.isEmpty() ? root : root.resolve(folder);
    if (!Files.isDirectory(start)) return List.of();
    // Only names in the prefix's folder that start with the rest of the prefix can match: read the
    // folder's names without touching the others, and walk only the matching subfolders. (A walk of
    // the whole folder per call made finding one input among N cost O(N).)
    String rest = prefix.substring(slash + 1);
    List<BlobInfo> found = new ArrayList<>();
    SimpleFileVisitor<Path> collect = new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
        return dir.equals(tmp) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
        if (!attrs.isRegularFile()) return FileVisitResult.CONTINUE;
        String key = keyOf(file);
        if (key.startsWith(prefix)) found.add(info(key, attrs));
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
        // Deleted while we walked, or a link loop: neither is an object.
        if (e instanceof NoSuchFileException || e instanceof FileSystemLoopException) return FileVisitResult.CONTINUE;
        throw e;
      }
    };
    try {
      for (Path p : namesStartingWith(start, rest)) {
        if (p.equals(tmp)) continue;
        Files.walkFileTree(p, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE, collect);
      }
    } catch (NoSuchFileException e) {
      return List.of();
    }
    found.sort((a, b) -> compareCodePoints(a.key(), b.key()));
    return found;
  }

  /**
   * The entries of {@code folder} whose names start with {@code rest}. Reading a folder costs its
   * size, and a run looks up every item's input by prefix: over a catalog kept in one folder that
   * made each lookup cost the whole catalog. A read-only store (a user's input folder) therefore
   * keeps each folder's sorted names while the folder's modification time stays the same (adding,
   * removing or renaming an entry changes it) and finds the range by binary search. Names are
   * cached only once the folder has been still for two seconds.
   */
  private List<Path> namesStartingWith(Path folder, String rest) throws IOException {
    if (!readOnly) {
      List<Path> out = new ArrayList<>();
      try (DirectoryStream<Path> names = Files.newDirectoryStream(folder, p -> p.getFileName().toString().startsWith(rest))) {
        for (Path p : names) out.add(p);
      }
      return out;
    }
    FileTime stamp = Files.getLastModifiedTime(folder);
    Listing l = listings.get(folder);
    // File systems stamp folders from a coarse clock (a few ms): a folder changed within the last
    // seconds could change again without a new stamp, so its names are read afresh ("racy git").
    boolean settled = stamp.toInstant().isBefore(Instant.now().minusSeconds(2));
    if (l == null || !l.stamp().equals(stamp) || !settled) {
      List<String> names = new ArrayList<>();
      try (DirectoryStream<Path> all = Files.newDirectoryStream(folder)) {
        for (Path p : all) names.add(p.getFileName().toString());
      }
      String[] sorted = names.toArray(new String[0]);
      java.util.Arrays.sort(sorted);
      l = new Listing(stamp, sorted);
      if (settled) {
        if (listings.size() >= MAX_LISTINGS) listings.clear();
        listings.put(folder, l);
      }
    }
    String[] sorted = l.names();
    int from = java.util.Arrays.binarySearch(sorted, rest);
    if (from < 0) from = -from - 1;
    List<Path> out = new ArrayList<>();
    for (int i = from; i < sorted.length && sorted[i].startsWith(rest); i++) out.add(folder.resolve(sorted[i]));
    return out;
  }

  private record Listing(FileTime stamp, String[] names) {}

  /** Folders whose names a read-only store keeps; a few suffice (a run walks one folder at a time). */
  private static final int MAX_LISTINGS = 16;

  private final java.util.concurrent.ConcurrentHashMap<Path, Listing> listings = new java.util.concurrent.ConcurrentHashMap<>();

  @Override
  public Optional<Path> localFile(String key) throws IOException {
    Path file = path(key);
    return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
  }

  @Override
  public String uri(String key) {
    return path(key).toUri().toString();
  }

  @Override
  public String toString() {
    return "DirectoryBlobStore[" + root + (readOnly ? ", read-only]" : "]");
  }

  /** Moves the staged file over the target if the precondition holds; under the key's lock. */
  private BlobInfo install(String key, Path target, Path staged, Precondition precondition) throws IOException {
    ReentrantLock lock = lockFor(key);
    lock.lock();
    try {
      Optional<BlobInfo> current = info(key, target);
      String generation = current.map(BlobInfo::generation).orElse(null);
      boolean holds = precondition instanceof Precondition.None
          || (precondition instanceof Precondition.Absent && current.isEmpty())
          || (precondition instanceof Precondition.Generation g && g.generation().equals(generation));
      if (!holds) throw new PreconditionFailedException(key, precondition, generation);
      stampAfter(staged, current);
      for (int tries = 1; ; tries++) {
        Files.createDirectories(target.getParent());
        try {
          Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
          break;
        } catch (NoSuchFileException e) {
          // A delete of the folder's last object removed it in between; make it again.
          if (tries == 3) throw e;
        }
      }
      return info(key, target).orElseThrow(() -> new NoSuchFileException(target.toString()));
    } finally {
      lock.unlock();
    }
  }

  /** Sets the staged file's time after the current object's, so the generation changes. */
  private void stampAfter(Path staged, Optional<BlobInfo> current) throws IOException {
    long now = nanos(clock.instant());
    if (current.isEmpty()) {
      Files.setLastModifiedTime(staged, FileTime.from(now, TimeUnit.NANOSECONDS));
      return;
    }
    long previous = nanos(current.get().updated());
    for (long bump : BUMPS_NANOS) {
      Files.setLastModifiedTime(staged, FileTime.from(Math.max(now, previous + bump), TimeUnit.NANOSECONDS));
      if (Files.getLastModifiedTime(staged).to(TimeUnit.NANOSECONDS) > previous) return;
    }
  }

  private static long nanos(Instant t) {
    return TimeUnit.SECONDS.toNanos(t.getEpochSecond()) + t.getNano();
  }

  private void removeEmptyFolders(Path dir) throws IOException {
    while (dir != null && !dir.equals(root) && dir.startsWith(root)) {
      try {
        Files.delete(dir);
      } catch (DirectoryNotEmptyException | NoSuchFileException e) {
        return; // in use again, or removed by someone else: either way, done
      }
      dir = dir.getParent();
    }
  }

  private Optional<BlobInfo> info(String key, Path file) throws IOException {
    BasicFileAttributes attrs;
    try {
      attrs = Files.readAttributes(file, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    return attrs.isRegularFile() ? Optional.of(info(key, attrs)) : Optional.empty();
  }

  private static BlobInfo info(String key, BasicFileAttributes attrs) {
    FileTime modified = attrs.lastModifiedTime();
    Object identity = attrs.fileKey();
    String generation = modified.to(TimeUnit.NANOSECONDS) + "-" + attrs.size()
        + (identity == null ? "" : "-" + Integer.toHexString(identity.hashCode()));
    return new BlobInfo(key, attrs.size(), generation, modified.toInstant(), null);
  }

  private Path path(String key) {
    BlobKeys.check(key);
    if (isReserved(key)) throw new IllegalArgumentException("bad object key '" + key + "': '" + TMP + "' is reserved");
    Path file = root.resolve(key).normalize();
    if (!file.startsWith(root) || file.equals(root)) {
      throw new IllegalArgumentException("bad object key '" + BlobKeys.printable(key) + "': it leaves the store's folder");
    }
    return file;
  }

  private Path writable(String key) throws IOException {
    Path file = path(key);
    if (readOnly) throw new AccessDeniedException(file.toString(), null, "read-only blob store");
    return file;
  }

  private Path stagingFile() throws IOException {
    Files.createDirectories(tmp);
    return tmp.resolve(UUID.randomUUID() + ".part");
  }

  private String keyOf(Path file) {
    Path rel = root.relativize(file);
    StringBuilder key = new StringBuilder();
    for (Path part : rel) {
      if (key.length() > 0) key.append('/');
      key.append(part);
    }
    return key.toString();
  }

  /** Code point order, which is UTF-8 byte order: how Cloud Storage lists. */
  private static int compareCodePoints(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) return Integer.compare(ca, cb);
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }

  private static boolean isReserved(String key) {
    return key.equals(TMP) || key.startsWith(TMP + "/");
  }

  private ReentrantLock lockFor(String key) {
    return locks[(key.hashCode() & 0x7fffffff) % STRIPES];
  }
}
