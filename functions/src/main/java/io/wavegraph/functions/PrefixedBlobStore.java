package io.wavegraph.functions;

import io.wavegraph.core.port.BlobInfo;
import io.wavegraph.core.port.BlobStore;
import io.wavegraph.core.port.Precondition;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A bucket seen from under a prefix ({@code buckets.input_prefix}, {@code output_prefix}): keys
 * given and returned are relative to it, URIs are the real ones.
 */
final class PrefixedBlobStore implements BlobStore {
  private final BlobStore inner;
  private final String prefix;

  PrefixedBlobStore(BlobStore inner, String prefix) {
    if (!prefix.isEmpty() && !prefix.endsWith("/")) throw new IllegalArgumentException("prefix '" + prefix + "' must end with /");
    this.inner = inner;
    this.prefix = prefix;
  }

  static BlobStore of(BlobStore inner, String prefix) {
    return prefix.isEmpty() ? inner : new PrefixedBlobStore(inner, prefix);
  }

  @Override
  public Optional<BlobInfo> stat(String key) throws IOException {
    return inner.stat(prefix + key).map(this::strip);
  }

  @Override
  public InputStream open(String key) throws IOException {
    return inner.open(prefix + key);
  }

  @Override
  public BlobInfo put(String key, Path source, Precondition precondition) throws IOException {
    return strip(inner.put(prefix + key, source, precondition));
  }

  @Override
  public BlobInfo put(String key, byte[] content, Precondition precondition) throws IOException {
    return strip(inner.put(prefix + key, content, precondition));
  }

  @Override
  public boolean delete(String key) throws IOException {
    return inner.delete(prefix + key);
  }

  @Override
  public List<BlobInfo> list(String keyPrefix) throws IOException {
    return inner.list(prefix + keyPrefix).stream().map(this::strip).toList();
  }

  @Override
  public String uri(String key) {
    return inner.uri(prefix + key);
  }

  private BlobInfo strip(BlobInfo b) {
    return new BlobInfo(b.key().substring(prefix.length()), b.size(), b.generation(), b.updated(), b.checksum());
  }

  @Override
  public String toString() {
    return inner + "/" + prefix;
  }
}
