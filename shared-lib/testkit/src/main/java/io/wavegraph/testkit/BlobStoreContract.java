package io.wavegraph.testkit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wavegraph.core.port.BlobInfo;
import io.wavegraph.core.port.BlobStore;
import io.wavegraph.core.port.Precondition;
import io.wavegraph.core.port.PreconditionFailedException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The behaviour every {@link BlobStore} must show. An adapter's test extends this class and
 * implements {@link #newStore()}; a store backed by a shared bucket also overrides {@link
 * #key(String)} to keep each run under its own prefix.
 *
 * <p>Listing is by plain string prefix, as in Cloud Storage: prefix {@code a/b} matches {@code
 * a/b-z} and {@code a/bc/y} as well as {@code a/b/x}. No key here is also the folder of another,
 * since a directory-backed store cannot hold both {@code a/b} and {@code a/b/x}.
 */
public abstract class BlobStoreContract {

  /** A store for one test, empty or holding nothing under {@link #key(String)}'s prefix. */
  protected abstract BlobStore newStore() throws IOException;

  /** The key tests use for {@code base}; override to add a per-run prefix in a shared bucket. */
  protected String key(String base) {
    return base;
  }

  /** The most any single wait may take before the test fails. */
  protected Duration deadline() {
    return Duration.ofSeconds(60);
  }

  /** Scratch space for source files. */
  @TempDir protected Path scratch;

  protected BlobStore store;

  @BeforeEach
  void openStore() throws IOException {
    store = newStore();
  }

  @Test
  void bytesRoundTrip() throws IOException {
    String k = key("tracks/ab12.json");
    byte[] content = "{\"tempo\":120}".getBytes(UTF_8);

    BlobInfo info = store.put(k, content, Precondition.none());

    assertThat(info.key()).isEqualTo(k);
    assertThat(info.size()).isEqualTo(content.length);
    assertThat(info.generation()).isNotBlank();
    assertThat(info.updated()).isNotNull();
    assertThat(store.stat(k)).contains(info);
    assertThat(read(k)).isEqualTo(content);
  }

  @Test
  void fileRoundTrip() throws IOException {
    String k = key("audio/t1.wav");
    byte[] content = randomBytes(100_000, 1);
    Path source = Files.write(scratch.resolve("t1.wav"), content);

    BlobInfo info = store.put(k, source, Precondition.none());

    assertThat(info.size()).isEqualTo(content.length);
    assertThat(store.stat(k)).contains(info);
    assertThat(read(k)).isEqualTo(content);
    assertThat(source).exists(); // the source is copied, not moved
  }

  @Test
  void emptyObjectRoundTrip() throws IOException {
    String k = key("empty");
    BlobInfo info = store.put(k, new byte[0], Precondition.none());
    assertThat(info.size()).isZero();
    assertThat(read(k)).isEmpty();
  }

  @Test
  void generationChangesOnEveryRewrite() throws IOException {
    String k = key("rewritten");
    byte[] same = "same bytes every time".getBytes(UTF_8);
    Set<String> generations = new HashSet<>();
    for (int i = 0; i < 30; i++) {
      BlobInfo info = store.put(k, same, Precondition.none());
      assertThat(generations.add(info.generation()))
          .as("generation %s of write %d is new", info.generation(), i)
          .isTrue();
      assertThat(store.stat(k).orElseThrow().generation()).isEqualTo(info.generation());
    }
  }

  @Test
  void theFingerprintChangesWithTheContentAndAChecksumOnlyWithIt() throws IOException {
    String k = key("fingerprinted");
    String first = store.put(k, "one".getBytes(UTF_8), Precondition.none()).fingerprint();
    BlobInfo again = store.put(k, "one".getBytes(UTF_8), Precondition.none());
    String other = store.put(k, "two".getBytes(UTF_8), Precondition.none()).fingerprint();
    assertThat(other).isNotEqualTo(first);
    assertThat(store.stat(k).orElseThrow().fingerprint()).isEqualTo(other);
    // A store that keeps a content checksum fingerprints the same bytes alike, so re-uploading a
    // file redoes nothing; one that keeps none falls back to the generation.
    if (again.checksum() != null) assertThat(again.fingerprint()).isEqualTo(first);
    else assertThat(again.fingerprint()).isNotEqualTo(first);
  }

  @Test
  void absentPreconditionCreatesOnlyOnce() throws IOException {
    String k = key("once");
    BlobInfo first = store.put(k, "first".getBytes(UTF_8), Precondition.absent());

    assertThatThrownBy(() -> store.put(k, "second".getBytes(UTF_8), Precondition.absent()))
        .isInstanceOf(PreconditionFailedException.class);
    Path source = Files.writeString(scratch.resolve("third"), "third");
    assertThatThrownBy(() -> store.put(k, source, Precondition.absent()))
        .isInstanceOf(PreconditionFailedException.class);

    assertThat(store.stat(k)).contains(first);
    assertThat(read(k)).isEqualTo("first".getBytes(UTF_8));
    assertThat(store.list(k)).extracting(BlobInfo::key).containsExactly(k);
  }

  @Test
  void generationPreconditionMatchesOnlyTheCurrentGeneration() throws IOException {
    String k = key("guarded");
    BlobInfo first = store.put(k, "first".getBytes(UTF_8), Precondition.none());

    BlobInfo second = store.put(k, "second".getBytes(UTF_8), Precondition.matching(first));
    assertThatThrownBy(() -> store.put(k, "third".getBytes(UTF_8), Precondition.matching(first)))
        .isInstanceOf(PreconditionFailedException.class);

    assertThat(second.generation()).isNotEqualTo(first.generation());
    assertThat(store.stat(k)).contains(second);
    assertThat(read(k)).isEqualTo("second".getBytes(UTF_8));
  }

  @Test
  void generationPreconditionFailsOnMissingObject() throws IOException {
    String k = key("never-written");
    assertThatThrownBy(() -> store.put(k, new byte[] {1}, new Precondition.Generation("12345")))
        .isInstanceOf(PreconditionFailedException.class);
    assertThat(store.stat(k)).isEmpty();
  }

  @Test
  void matchingNullMeansAbsent() throws IOException {
    String k = key("fresh");
    store.put(k, new byte[] {1}, Precondition.matching(null));
    assertThatThrownBy(() -> store.put(k, new byte[] {2}, Precondition.matching(null)))
        .isInstanceOf(PreconditionFailedException.class);
  }

  @Test
  void listsByStringPrefixInKeyOrder() throws IOException {
    for (String k : List.of("a/bc/y", "b", "a/b/x", "ab", "a/b-z", "a/b/w/v")) {
      store.put(key(k), k.getBytes(UTF_8), Precondition.none());
    }

    assertThat(store.list(key("a/b"))).extracting(BlobInfo::key)
        .containsExactly(key("a/b-z"), key("a/b/w/v"), key("a/b/x"), key("a/bc/y"));
    assertThat(store.list(key("a/b/"))).extracting(BlobInfo::key)
        .containsExactly(key("a/b/w/v"), key("a/b/x"));
    assertThat(store.list(key("a"))).extracting(BlobInfo::key)
        .containsExactly(key("a/b-z"), key("a/b/w/v"), key("a/b/x"), key("a/bc/y"), key("ab"));
    assertThat(store.list(key("nothing/here"))).isEmpty();
    BlobInfo listed = store.list(key("b")).get(0);
    assertThat(store.stat(key("b"))).contains(listed);
  }

  @Test
  void deleteSaysWhetherThereWasAnObject() throws IOException {
    String k = key("doomed/one");
    store.put(k, new byte[] {1, 2, 3}, Precondition.none());

    assertThat(store.delete(k)).isTrue();
    assertThat(store.delete(k)).isFalse();
    assertThat(store.stat(k)).isEmpty();
    assertThat(store.list(key("doomed"))).isEmpty();
    store.put(k, new byte[] {4}, Precondition.absent()); // absent again after a delete
    assertThat(read(k)).containsExactly(4);
  }

  @Test
  void missingObjectHasNoStatAndCannotBeOpened() throws IOException {
    String k = key("missing/object");
    assertThat(store.stat(k)).isEmpty();
    assertThatThrownBy(() -> store.open(k)).isInstanceOf(NoSuchFileException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "../x", "a/../../x", "/abs", "a//b", "a/./b", "a/", "tab\tkey", "nul\u0000", "back\\slash"})
  void badKeysAreRefused(String bad) throws IOException {
    Path source = Files.writeString(scratch.resolve("src"), "x");
    assertThatThrownBy(() -> store.put(bad, new byte[] {1}, Precondition.none()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.put(bad, source, Precondition.none()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.stat(bad)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.open(bad)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.delete(bad)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void uriNamesTheObject() {
    String k = key("outputs/t1.json");
    assertThat(store.uri(k)).contains(k);
  }

  @Test
  void readersDuringRewritesSeeWholeObjects() throws Exception {
    String k = key("hot");
    byte[] small = filled('a', 256 * 1024);
    byte[] large = filled('b', 768 * 1024);
    store.put(k, small, Precondition.none());
    AtomicBoolean writing = new AtomicBoolean(true);
    AtomicInteger reads = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> readers = new ArrayList<>();
      for (int r = 0; r < 3; r++) {
        readers.add(pool.submit(() -> {
          do {
            byte[] seen = read(k);
            boolean whole = Arrays.equals(seen, small) || Arrays.equals(seen, large);
            assertThat(whole).as("a whole object, not %d bytes starting with %s", seen.length,
                seen.length == 0 ? "nothing" : (char) seen[0]).isTrue();
            reads.incrementAndGet();
          } while (writing.get());
          return null;
        }));
      }
      Future<?> writer = pool.submit(() -> {
        try {
          for (int i = 0; i < 40; i++) store.put(k, i % 2 == 0 ? large : small, Precondition.none());
        } finally {
          writing.set(false);
        }
        return null;
      });
      writer.get(deadline().toMillis(), TimeUnit.MILLISECONDS);
      for (Future<?> f : readers) f.get(deadline().toMillis(), TimeUnit.MILLISECONDS);
    } finally {
      writing.set(false);
      pool.shutdownNow();
    }
    assertThat(reads.get()).isGreaterThanOrEqualTo(3);
  }

  @Test
  void largeObjectStreams() throws Exception {
    String k = key("large.bin");
    int size = 8 * 1024 * 1024;
    Path source = Files.write(scratch.resolve("large.bin"), randomBytes(size, 7));

    BlobInfo info = store.put(k, source, Precondition.none());

    assertThat(info.size()).isEqualTo(size);
    MessageDigest digest = sha256();
    long total = 0;
    try (InputStream in = store.open(k)) {
      byte[] buf = new byte[64 * 1024];
      for (int n; (n = in.read(buf)) >= 0; ) {
        digest.update(buf, 0, n);
        total += n;
      }
    }
    assertThat(total).isEqualTo(size);
    assertThat(digest.digest()).isEqualTo(sha256().digest(Files.readAllBytes(source)));
  }

  /** The object's whole content. */
  protected byte[] read(String key) throws IOException {
    try (InputStream in = store.open(key)) {
      return in.readAllBytes();
    }
  }

  protected static byte[] randomBytes(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static byte[] filled(char c, int size) {
    byte[] b = new byte[size];
    Arrays.fill(b, (byte) c);
    return b;
  }

  private static MessageDigest sha256() throws NoSuchAlgorithmException {
    return MessageDigest.getInstance("SHA-256");
  }
}
