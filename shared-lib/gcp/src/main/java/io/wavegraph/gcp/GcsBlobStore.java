package io.wavegraph.gcp;

import com.google.cloud.ReadChannel;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;
import io.wavegraph.core.port.BlobInfo;
import io.wavegraph.core.port.Crc32cChecksum;
import io.wavegraph.core.port.BlobKeys;
import io.wavegraph.core.port.BlobStore;
import io.wavegraph.core.port.Precondition;
import io.wavegraph.core.port.PreconditionFailedException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The {@link BlobStore} on one Cloud Storage bucket. Writes are single uploads (multipart for
 * bytes, resumable and streamed for files), atomic by Cloud Storage's own guarantee, and
 * conditional through {@code ifGenerationMatch} ({@code 0} for "absent"); a 412 becomes {@link
 * PreconditionFailedException}. A read is pinned (by the client) to the generation its first
 * request found, so a rewrite during a long streamed read makes the read fail rather than mix two
 * objects. The
 * object's generation is the {@link BlobInfo#generation()}.
 */
public final class GcsBlobStore implements BlobStore {
  private static final int CHUNK = 2 * 1024 * 1024;
  private static final int HEAD = 64 * 1024;

  private final Storage storage;
  private final String bucket;

  public GcsBlobStore(Storage storage, String bucket) {
    this.storage = storage;
    this.bucket = bucket;
  }

  public String bucket() {
    return bucket;
  }

  @Override
  public Optional<BlobInfo> stat(String key) throws IOException {
    BlobKeys.check(key);
    try {
      Blob b = storage.get(BlobId.of(bucket, key));
      return b == null ? Optional.empty() : Optional.of(info(b));
    } catch (StorageException e) {
      throw io("stat", key, e);
    }
  }

  @Override
  public InputStream open(String key) throws IOException {
    BlobKeys.check(key);
    // Unpinned: the client pins every later range request to the generation of the first answer.
    ReadChannel channel = storage.reader(BlobId.of(bucket, key));
    channel.setChunkSize(CHUNK);
    try {
      // Read the head now, so that a missing object shows here as NoSuchFileException.
      ByteBuffer head = ByteBuffer.allocate(HEAD);
      int n = 0;
      boolean eof = false;
      while (head.hasRemaining()) {
        int r = channel.read(head);
        if (r < 0) {
          eof = true;
          break;
        }
        n += r;
      }
      InputStream first = new ByteArrayInputStream(head.array(), 0, n);
      if (eof) {
        channel.close();
        return first;
      }
      return new SequenceInputStream(first, Channels.newInputStream(channel));
    } catch (IOException | StorageException e) {
      channel.close();
      if (isNotFound(e)) {
        NoSuchFileException missing = new NoSuchFileException(uri(key));
        missing.initCause(e);
        throw missing;
      }
      throw io("open", key, e);
    }
  }

  @Override
  public BlobInfo put(String key, Path source, Precondition precondition) throws IOException {
    BlobKeys.check(key);
    com.google.cloud.storage.BlobInfo target = com.google.cloud.storage.BlobInfo.newBuilder(bucket, key).build();
    try {
      Blob b = storage.createFrom(target, source, CHUNK * 8, writeOptions(precondition));
      return info(b);
    } catch (StorageException e) {
      throw failure(key, precondition, e);
    }
  }

  @Override
  public BlobInfo put(String key, byte[] content, Precondition precondition) throws IOException {
    BlobKeys.check(key);
    com.google.cloud.storage.BlobInfo target = com.google.cloud.storage.BlobInfo.newBuilder(bucket, key).build();
    try {
      return info(storage.create(target, content, targetOptions(precondition)));
    } catch (StorageException e) {
      throw failure(key, precondition, e);
    }
  }

  @Override
  public boolean delete(String key) throws IOException {
    BlobKeys.check(key);
    try {
      return storage.delete(BlobId.of(bucket, key));
    } catch (StorageException e) {
      throw io("delete", key, e);
    }
  }

  @Override
  public List<BlobInfo> list(String prefix) throws IOException {
    List<BlobInfo> out = new ArrayList<>();
    try {
      for (Blob b : storage.list(bucket, Storage.BlobListOption.prefix(prefix)).iterateAll()) out.add(info(b));
    } catch (StorageException e) {
      throw io("list", prefix, e);
    }
    out.sort(Comparator.comparing(BlobInfo::key));
    return out;
  }

  @Override
  public String uri(String key) {
    return "gs://" + bucket + "/" + key;
  }

  @Override
  public String toString() {
    return "GcsBlobStore[gs://" + bucket + "]";
  }

  private static BlobInfo info(Blob b) {
    Instant updated = b.getUpdateTimeOffsetDateTime() != null
        ? b.getUpdateTimeOffsetDateTime().toInstant()
        : Instant.ofEpochMilli(b.getUpdateTime());
    // CRC32C, which Cloud Storage keeps for every object (MD5 only for non-composite ones), spelled
    // as Crc32cChecksum spells the checksums recorded for outputs, so both mean the same thing.
    String checksum = b.getCrc32c() != null ? Crc32cChecksum.ofStored(b.getCrc32c(), b.getSize() == null ? 0 : b.getSize())
        : b.getMd5() != null ? "md5:" + b.getMd5() : null;
    return new BlobInfo(b.getName(), b.getSize() == null ? 0 : b.getSize(), String.valueOf(b.getGeneration()), updated,
        checksum);
  }

  private static Storage.BlobTargetOption[] targetOptions(Precondition p) {
    if (p instanceof Precondition.Absent) return new Storage.BlobTargetOption[] {Storage.BlobTargetOption.doesNotExist()};
    if (p instanceof Precondition.Generation g) {
      return new Storage.BlobTargetOption[] {Storage.BlobTargetOption.generationMatch(generation(g))};
    }
    return new Storage.BlobTargetOption[0];
  }

  private static Storage.BlobWriteOption[] writeOptions(Precondition p) {
    if (p instanceof Precondition.Absent) return new Storage.BlobWriteOption[] {Storage.BlobWriteOption.doesNotExist()};
    if (p instanceof Precondition.Generation g) {
      return new Storage.BlobWriteOption[] {Storage.BlobWriteOption.generationMatch(generation(g))};
    }
    return new Storage.BlobWriteOption[0];
  }

  /** A generation as Cloud Storage numbers them; one that is not a number matches nothing. */
  private static long generation(Precondition.Generation g) {
    try {
      long n = Long.parseLong(g.generation());
      return n > 0 ? n : Long.MAX_VALUE;
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE;
    }
  }

  private IOException failure(String key, Precondition p, StorageException e) {
    if (e.getCode() == 412) {
      String current = null;
      try {
        current = stat(key).map(BlobInfo::generation).orElse(null);
      } catch (IOException ignored) {
        // the message just says less
      }
      PreconditionFailedException f = new PreconditionFailedException(key, p, current);
      f.initCause(e);
      return f;
    }
    return io("write", key, e);
  }

  private static boolean isNotFound(Throwable e) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof StorageException s && s.getCode() == 404) return true;
    }
    return false;
  }

  private IOException io(String what, String key, Exception e) {
    if (e instanceof IOException io && !(e.getCause() instanceof StorageException)) return io;
    return new IOException(what + " " + uri(key) + ": " + e.getMessage(), e);
  }
}
