package io.wavegraph.functions;

import io.wavegraph.core.envelope.Envelope;
import io.wavegraph.core.envelope.EnvelopeCodec;
import io.wavegraph.core.envelope.InvalidEnvelopeException;
import io.wavegraph.core.envelope.ItemIds;
import io.wavegraph.core.port.Delivery;
import java.time.Instant;
import java.util.logging.Logger;

/**
 * Turns "an object was finalized" into a request for its item at a root, whichever way it came:
 * an Eventarc {@code google.cloud.storage.object.v1.finalized} CloudEvent, or a Cloud Storage
 * notification ({@code JSON_API_V1}) pushed from the root's topic, which is how the generated
 * Terraform wires roots ({@code terraform/modules/bucket-trigger}).
 */
final class InputObjects {
  /** Attributes of a Cloud Storage notification message. */
  static final String EVENT_TYPE = "eventType";
  static final String BUCKET_ID = "bucketId";
  static final String OBJECT_ID = "objectId";
  static final String FINALIZE = "OBJECT_FINALIZE";
  private static final Logger LOG = Logger.getLogger(InputObjects.class.getName());

  private final String bucket;
  private final String prefix;
  private final boolean root;

  InputObjects(String bucket, String prefix, boolean root) {
    this.bucket = bucket;
    this.prefix = prefix;
    this.root = root;
  }

  /**
   * The request for {@code gs://objectBucket/name}, or null when that object is not an input of
   * this step (another bucket, outside the prefix, a folder placeholder, or not a root).
   *
   * @throws PushMessage.PoisonException when the object name is not a valid item id
   */
  Delivery request(String objectBucket, String name, String id, Instant at) throws PushMessage.PoisonException {
    if (name == null) throw new PushMessage.PoisonException("storage event has no object name", null);
    if (!root || !bucket.equals(objectBucket) || !name.startsWith(prefix) || ItemIds.isFolder(name)) {
      LOG.info("ignored finalized gs://" + objectBucket + "/" + name + " (not an input of this step)");
      return null;
    }
    String item;
    try {
      item = ItemIds.fromObjectName(name, prefix);
    } catch (InvalidEnvelopeException e) {
      throw new PushMessage.PoisonException(e.getMessage(), e);
    }
    return new Delivery(id, EnvelopeCodec.encode(Envelope.request(item, at)), 1, at);
  }

  /** True for a Cloud Storage notification (it has {@code eventType}; envelopes never do). */
  static boolean isNotification(Delivery d) {
    return d.message().attributes().containsKey(EVENT_TYPE) && d.message().attributes().containsKey(BUCKET_ID);
  }

  /** The request a pushed storage notification makes, or null (not a finalize, not an input). */
  Delivery fromNotification(Delivery d) throws PushMessage.PoisonException {
    var a = d.message().attributes();
    if (!FINALIZE.equals(a.get(EVENT_TYPE))) return null;
    return request(a.get(BUCKET_ID), a.get(OBJECT_ID), d.messageId(), d.publishTime());
  }
}
