package io.wavegraph.core.port;

import java.time.Instant;

/**
 * What a blob store knows about one object.
 *
 * @param generation changes every time the object is written (Cloud Storage's generation; a
 *     file's write stamp on disk); conditional writes name it
 * @param checksum a checksum of the content that the store keeps anyway (Cloud Storage's MD5, or
 *     CRC32C for composite objects), or null when it keeps none
 */
public record BlobInfo(String key, long size, String generation, Instant updated, String checksum) {

  /**
   * What a result records as the fingerprint of this input: the content checksum when the store
   * keeps one, so uploading the same bytes again redoes nothing; else the generation, so any
   * rewrite counts as a change.
   */
  public String fingerprint() {
    return checksum != null ? checksum : "generation:" + generation;
  }
}
