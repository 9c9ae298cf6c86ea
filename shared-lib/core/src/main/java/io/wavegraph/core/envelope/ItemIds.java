package io.wavegraph.core.envelope;

import io.wavegraph.core.port.BlobKeys;

/**
 * Item ids: derived from the object name in the input bucket ({@code tracks/ab12.flac} ->
 * {@code tracks/ab12}), validated before anything turns them into a path or a key.
 */
public final class ItemIds {
  /** The longest id accepted, in UTF-8 bytes. */
  public static final int MAX_BYTES = 512;

  private ItemIds() {}

  /**
   * Returns {@code id} when it is valid.
   *
   * @throws InvalidEnvelopeException naming the id and what is wrong with it
   */
  public static String check(String id) throws InvalidEnvelopeException {
    String problem = BlobKeys.problem(id, MAX_BYTES);
    if (problem != null) {
      throw new InvalidEnvelopeException("bad item id '" + BlobKeys.printable(id) + "': " + problem);
    }
    return id;
  }

  /** The item id of an input object: its name without the extension of its last segment. */
  public static String fromObjectName(String objectName) throws InvalidEnvelopeException {
    if (objectName == null) throw new InvalidEnvelopeException("object name is missing");
    int slash = objectName.lastIndexOf('/');
    int dot = objectName.lastIndexOf('.');
    String id = dot > slash + 1 ? objectName.substring(0, dot) : objectName;
    return check(id);
  }
}
