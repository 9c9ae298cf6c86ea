package io.wavegraph.core.port;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A bucket of objects named by '/'-separated keys. Writes are atomic: a reader sees either the
 * old object or the whole new one, never a partial write. Keys are checked by {@link BlobKeys}.
 *
 * <p>Implementations: a directory on disk, and Cloud Storage. The same contract suite ({@code
 * BlobStoreContract} in the test kit) runs against each.
 */
public interface BlobStore {

  /** The object's metadata, or empty when there is none. */
  Optional<BlobInfo> stat(String key) throws IOException;

  /**
   * Opens the object for streaming reads.
   *
   * @throws NoSuchFileException when there is no such object
   */
  InputStream open(String key) throws IOException;

  /**
   * Copies the local file into the object, atomically, if {@code precondition} holds.
   *
   * @throws PreconditionFailedException when it does not; nothing is written then
   */
  BlobInfo put(String key, Path source, Precondition precondition) throws IOException;

  /** Writes bytes into the object, atomically, if {@code precondition} holds. */
  BlobInfo put(String key, byte[] content, Precondition precondition) throws IOException;

  /** Deletes the object; returns false when there was none. */
  boolean delete(String key) throws IOException;

  /** Every object whose key starts with {@code prefix}, in key order. */
  List<BlobInfo> list(String prefix) throws IOException;

  /**
   * A local file holding the object's current content, when the store keeps objects as files
   * (so steps can read them in place). Empty for remote stores.
   */
  default Optional<Path> localFile(String key) throws IOException {
    return Optional.empty();
  }

  /** A URI naming the object for people and records, e.g. {@code file:///…} or {@code gs://…}. */
  String uri(String key);
}
