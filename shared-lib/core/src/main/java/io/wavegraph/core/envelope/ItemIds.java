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

  /**
   * Matches where an object name has an extension to drop: a dot in its last segment, followed by
   * no other dot or slash to the end, and not the segment's first character (a dot file such as
   * {@code dir/.hidden} keeps its name). Read alike by {@code java.util.regex} and RE2, so the
   * compiled workflows use this very pattern ({@code text.match_regex}).
   */
  public static final String HAS_EXTENSION = "[^/]\\.[^./]*$";
  /** Matches the extension itself, once {@link #HAS_EXTENSION} says there is one to drop. */
  public static final String EXTENSION = "\\.[^./]*$";
  /**
   * Matches an id that {@link #check} refuses for its characters or segments (empty, a leading or
   * trailing slash, an empty, {@code .} or {@code ..} segment, a control character or backslash);
   * the length limit is checked apart. The workflows refuse ids with it; a shared table of cases
   * proves it agrees with {@link #check}.
   */
  public static final String INVALID = "^$|^/|/$|//|[\\x00-\\x1f\\x7f\\\\]|(^|/)\\.\\.?(/|$)";
  private static final java.util.regex.Pattern HAS_EXTENSION_PATTERN = java.util.regex.Pattern.compile(HAS_EXTENSION);

  /** The item id of an input object: its name without the extension of its last segment. */
  public static String fromObjectName(String objectName) throws InvalidEnvelopeException {
    if (objectName == null) throw new InvalidEnvelopeException("object name is missing");
    java.util.regex.Matcher m = HAS_EXTENSION_PATTERN.matcher(objectName);
    String id = m.find() ? objectName.substring(0, m.start() + 1) : objectName;
    return check(id);
  }

  /**
   * The item id of the object {@code objectName} of an input bucket whose inputs live under {@code
   * inputPrefix} ({@code ""}, or ending in {@code /}): the name after the prefix, without its
   * extension. Roots, backfills and reprocessing by prefix all name an upload this way.
   *
   * @throws InvalidEnvelopeException when the object is not under the prefix, or the id is invalid
   */
  public static String fromObjectName(String objectName, String inputPrefix) throws InvalidEnvelopeException {
    if (objectName == null) throw new InvalidEnvelopeException("object name is missing");
    if (!objectName.startsWith(inputPrefix)) {
      throw new InvalidEnvelopeException("object '" + BlobKeys.printable(objectName) + "' is not under the input prefix '"
          + inputPrefix + "'");
    }
    return fromObjectName(objectName.substring(inputPrefix.length()));
  }

  /** True for an object name that names no item: a folder placeholder ({@code tracks/}). */
  public static boolean isFolder(String objectName) {
    return objectName.endsWith("/");
  }
}
