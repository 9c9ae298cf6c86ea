package io.wavegraph.local;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wavegraph.core.port.BlobInfo;
import io.wavegraph.core.port.BlobStore;
import io.wavegraph.core.port.Precondition;
import io.wavegraph.core.port.PreconditionFailedException;
import io.wavegraph.testkit.BlobStoreContract;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryBlobStoreTest extends BlobStoreContract {
  @TempDir Path root;

  @Override
  protected BlobStore newStore() {
    return new DirectoryBlobStore(root.resolve("bucket"));
  }

  @Test
  void objectsAreFilesUnderTheRoot() throws IOException {
    store.put("tracks/t1.json", "{}".getBytes(UTF_8), Precondition.none());

    Path file = root.resolve("bucket/tracks/t1.json");
    assertThat(file).hasContent("{}");
    assertThat(store.localFile("tracks/t1.json")).contains(file);
    assertThat(store.localFile("tracks/none.json")).isEmpty();
    assertThat(store.uri("tracks/t1.json")).isEqualTo(file.toUri().toString()).startsWith("file:///");
  }

  @Test
  void filesPutThereByOthersAreObjects() throws IOException {
    Path file = Files.createDirectories(root.resolve("bucket/in")).resolve("song.flac");
    Files.writeString(file, "audio");

    assertThat(store.list("")).extracting(BlobInfo::key).containsExactly("in/song.flac");
    assertThat(store.stat("in/song.flac").orElseThrow().size()).isEqualTo(5);
  }

  @Test
  void aFolderIsNotAnObject() throws IOException {
    store.put("a/b/c", new byte[] {1}, Precondition.none());

    assertThat(store.stat("a/b")).isEmpty();
    assertThat(store.localFile("a/b")).isEmpty();
    assertThatThrownBy(() -> store.open("a/b")).isInstanceOf(java.nio.file.NoSuchFileException.class);
    assertThat(store.delete("a/b")).isFalse();
  }

  @Test
  void deletingTheLastObjectOfAFolderRemovesTheFolder() throws IOException {
    store.put("a/b/c", new byte[] {1}, Precondition.none());
    store.delete("a/b/c");

    assertThat(root.resolve("bucket/a")).doesNotExist();
    store.put("a", new byte[] {2}, Precondition.absent()); // the name is free again
  }

  @Test
  void tempFolderIsReservedAndNeverListed() throws IOException {
    store.put("x", new byte[] {1}, Precondition.none());
    assertThatThrownBy(() -> store.put(".tmp/x", new byte[] {1}, Precondition.none()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.stat(".tmp")).isInstanceOf(IllegalArgumentException.class);
    Files.writeString(root.resolve("bucket/.tmp/stray.part"), "left by a crash");

    assertThat(store.list("")).extracting(BlobInfo::key).containsExactly("x");
    assertThat(store.list(".tmp/")).isEmpty();
  }

  @Test
  void failedPreconditionLeavesNoTempFile() throws IOException {
    store.put("k", new byte[] {1}, Precondition.none());
    assertThatThrownBy(() -> store.put("k", new byte[] {2}, Precondition.absent()))
        .isInstanceOf(PreconditionFailedException.class)
        .hasMessageContaining("k");

    try (var left = Files.list(root.resolve("bucket/.tmp"))) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void generationsGrowEvenWhenTheClockStandsStill() throws IOException {
    Clock frozen = Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC);
    BlobStore still = new DirectoryBlobStore(root.resolve("frozen"), frozen);

    BlobInfo a = still.put("k", new byte[] {1}, Precondition.none());
    BlobInfo b = still.put("k", new byte[] {1}, Precondition.none());
    BlobInfo c = still.put("k", new byte[] {1}, Precondition.none());

    assertThat(a.updated()).isEqualTo(Instant.parse("2030-01-01T00:00:00Z"));
    assertThat(b.updated()).isAfter(a.updated());
    assertThat(c.updated()).isAfter(b.updated());
    assertThat(a.generation()).isNotEqualTo(b.generation()).isNotEqualTo(c.generation());
  }

  @Test
  void keyThatIsAlsoAFolderFails() throws IOException {
    store.put("a/b", new byte[] {1}, Precondition.none());
    assertThatThrownBy(() -> store.put("a/b/c", new byte[] {1}, Precondition.none()))
        .isInstanceOf(IOException.class);
    assertThat(store.list("a")).extracting(BlobInfo::key).containsExactly("a/b");
  }

  @Test
  void readOnlyStoreReadsButRefusesWrites() throws IOException {
    Path input = Files.createDirectories(root.resolve("input/tracks"));
    Files.writeString(input.resolve("t1.flac"), "audio");
    DirectoryBlobStore in = DirectoryBlobStore.readOnly(root.resolve("input"));

    assertThat(in.list("tracks/")).extracting(BlobInfo::key).containsExactly("tracks/t1.flac");
    assertThatThrownBy(() -> in.put("tracks/t2.flac", new byte[] {1}, Precondition.none()))
        .isInstanceOf(AccessDeniedException.class);
    assertThatThrownBy(() -> in.put("tracks/t2.flac", input.resolve("t1.flac"), Precondition.none()))
        .isInstanceOf(AccessDeniedException.class);
    assertThatThrownBy(() -> in.delete("tracks/t1.flac")).isInstanceOf(AccessDeniedException.class);
    assertThat(root.resolve("input/.tmp")).doesNotExist();
    assertThat(input.resolve("t1.flac")).exists();
  }

  @Test
  void readOnlyStoreFindsPrefixesInABigFolderAndSeesItChange() throws IOException {
    // A read-only store keeps a settled folder's sorted names: a lookup costs a binary search,
    // not a read of the whole folder; any change to the folder's entries is still seen.
    Path tracks = Files.createDirectories(root.resolve("input/tracks"));
    for (int i = 0; i < 300; i++) Files.writeString(tracks.resolve("t" + i + ".flac"), "audio " + i);
    Files.writeString(tracks.resolve("t1.wav"), "other");
    FileTime old = FileTime.from(Instant.now().minusSeconds(3600));
    Files.setLastModifiedTime(tracks, old);
    DirectoryBlobStore in = DirectoryBlobStore.readOnly(root.resolve("input"));

    assertThat(in.list("tracks/t1.")).extracting(BlobInfo::key).containsExactly("tracks/t1.flac", "tracks/t1.wav");
    assertThat(in.list("tracks/t29")).extracting(BlobInfo::key)
        .containsExactly("tracks/t29.flac", "tracks/t290.flac", "tracks/t291.flac", "tracks/t292.flac", "tracks/t293.flac",
            "tracks/t294.flac", "tracks/t295.flac", "tracks/t296.flac", "tracks/t297.flac", "tracks/t298.flac", "tracks/t299.flac");
    assertThat(in.list("tracks/u")).isEmpty();

    Files.writeString(tracks.resolve("t1.mp3"), "new"); // the folder's time moves on
    assertThat(in.list("tracks/t1.")).extracting(BlobInfo::key).containsExactly("tracks/t1.flac", "tracks/t1.mp3", "tracks/t1.wav");
    Files.delete(tracks.resolve("t1.wav"));
    Files.setLastModifiedTime(tracks, FileTime.from(Instant.now().minusSeconds(1800)));
    assertThat(in.list("tracks/t1.")).extracting(BlobInfo::key).containsExactly("tracks/t1.flac", "tracks/t1.mp3");
    // Content read afresh: a file rewritten in place shows its new size.
    Files.writeString(tracks.resolve("t1.flac"), "longer audio");
    Files.setLastModifiedTime(tracks, FileTime.from(Instant.now().minusSeconds(1800)));
    assertThat(in.list("tracks/t1.f")).singleElement().extracting(BlobInfo::size).isEqualTo(12L);
  }

  @Test
  void missingRootIsAnEmptyStore() throws IOException {
    DirectoryBlobStore none = DirectoryBlobStore.readOnly(root.resolve("nowhere"));
    assertThat(none.list("")).isEmpty();
    assertThat(none.stat("x")).isEmpty();
  }
}
