package io.wavegraph.core.port;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The document id of a ledger record in a document store (Firestore): the URL-safe base64 (with
 * padding) of the SHA-256 of {@code step + "/" + item}. Hashed so that ids spread over the key
 * space (no hotspots) and never hold a '/'; "/" separates because a step name cannot hold one.
 *
 * <p>The generated workflows compute the same id with the Workflows standard library:
 * {@code text.replace_all(text.replace_all(base64.encode(hash.compute_checksum(text.encode(step + "/" + item), "SHA256")), "+", "-"), "/", "_")}.
 * Both sides are pinned by {@link #TEST_VECTOR_STEP} / {@link #TEST_VECTOR_ITEM} → {@link #TEST_VECTOR_ID}.
 */
public final class LedgerDocumentId {
  /** Between step and item in the hashed text. */
  public static final String SEPARATOR = "/";
  /** A known answer for tests on both sides of the contract. */
  public static final String TEST_VECTOR_STEP = "loudness";
  public static final String TEST_VECTOR_ITEM = "tracks/ab12";
  public static final String TEST_VECTOR_ID = "TXQDcbiOYfzEC4Vem6p1RyOYw7XiRcV11b_avMVyGjs=";

  private LedgerDocumentId() {}

  public static String of(StepItem key) {
    return of(key.step(), key.item());
  }

  public static String of(String step, String item) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest((step + SEPARATOR + item).getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().encodeToString(d);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
