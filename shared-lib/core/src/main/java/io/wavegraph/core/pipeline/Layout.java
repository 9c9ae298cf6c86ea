package io.wavegraph.core.pipeline;

import io.wavegraph.core.envelope.InvalidEnvelopeException;
import io.wavegraph.core.envelope.ItemIds;
import io.wavegraph.core.port.BlobInfo;
import java.util.List;

/** Where things live: output keys and topic names, derived from graph and step names only. */
public final class Layout {
  private final String topicPrefix;

  /** @param topicPrefix prepended to every topic name (empty on one machine) */
  public Layout(String topicPrefix) {
    this.topicPrefix = topicPrefix;
  }

  public static Layout local() {
    return new Layout("");
  }

  /** The object key of one output of one step for one item: {@code {step}/{item}.{output}}. */
  public static String outputKey(String step, String item, String output) {
    return step + "/" + item + "." + output;
  }

  /** The topic that feeds a step. */
  public String topic(String step) {
    return topicPrefix + step;
  }

  /** What a batch step's admitted-requests topic adds to its topic's name. */
  public static final String ADMITTED_SUFFIX = "-admitted";

  /**
   * The topic of a batch step's admitted requests: what its batch workflow gathers, once the
   * step's admission ({@code BatchAdmission}) has settled everything that needs no run.
   */
  public String admittedTopic(String step) {
    return topicPrefix + step + ADMITTED_SUFFIX;
  }

  /** The topic that receives what a step could not process. */
  public String deadLetterTopic(String step) {
    return topicPrefix + step + "-dead-letter";
  }

  /** The input objects whose item id is {@code item} (normally one). */
  public static List<BlobInfo> inputsOf(String item, List<BlobInfo> candidates) {
    return candidates.stream().filter(b -> item.equals(itemOf(b.key()))).toList();
  }

  private static String itemOf(String key) {
    try {
      return ItemIds.fromObjectName(key);
    } catch (InvalidEnvelopeException e) {
      return null;
    }
  }
}
