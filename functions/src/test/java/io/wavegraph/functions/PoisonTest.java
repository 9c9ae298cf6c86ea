package io.wavegraph.functions;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.wavegraph.core.graph.ResolvedGraph;
import io.wavegraph.core.pipeline.Layout;
import io.wavegraph.core.pipeline.Ports;
import io.wavegraph.core.pipeline.StepPipeline;
import io.wavegraph.core.port.Message;
import io.wavegraph.core.port.MessageBus;
import io.wavegraph.core.port.MessageHandler;
import io.wavegraph.core.port.SubscriptionSettings;
import io.wavegraph.core.step.StepFactory;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One table of poison messages through both entry points, push ({@link StepFunction}) and event
 * ({@link StepEventFunction}), each over the real step pipeline of the {@code chain} graph's
 * loudness step: each is acknowledged and dead-lettered once, with the same reason, never retried.
 */
class PoisonTest {
  @TempDir Path tmp;
  private final ExecutorService runner = Executors.newCachedThreadPool();

  @AfterEach
  void stop() {
    runner.shutdownNow();
  }

  /** A bus that keeps what is published: the dead-letter topic is all these cases reach. */
  private static final class KeptBus implements MessageBus {
    final List<String> topics = new CopyOnWriteArrayList<>();
    final List<Message> messages = new CopyOnWriteArrayList<>();

    @Override
    public void createTopic(String topic) {}

    @Override
    public String publish(String topic, Message message) {
      topics.add(topic);
      messages.add(message);
      return Integer.toString(messages.size());
    }

    @Override
    public Subscription subscribe(String topic, String subscription, SubscriptionSettings s, MessageHandler h) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void close() {}
  }

  private static String pushBody(String dataBase64) {
    return "{\"message\":{\"messageId\":\"42\",\"publishTime\":\"2026-01-01T00:00:00Z\",\"data\":\"" + dataBase64
        + "\",\"attributes\":{}},\"subscription\":\"projects/p/subscriptions/chain-loudness-push\"}";
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(UTF_8));
  }

  /** Push bodies (and event data: Eventarc's messagePublished data has the same shape). */
  private static final Map<String, String> CASES = Map.of(
      "not json at all", "this is not json",
      "no message", "{\"subscription\":\"x\"}",
      "data not base64", pushBody("%%%"),
      "envelope not json", pushBody(b64("not an envelope")),
      "envelope with a bad item id", pushBody(b64("{\"v\":1,\"item\":\"../etc/passwd\"}")));

  @Test
  void pushAndEventEntryPointsAckAndDeadLetterEveryPoisonMessageWithTheSameReason() throws Exception {
    List<String> pushReasons = new ArrayList<>();
    List<String> eventReasons = new ArrayList<>();
    for (Map.Entry<String, String> c : new java.util.TreeMap<>(CASES).entrySet()) {
      byte[] body = c.getValue().getBytes(UTF_8);

      KeptBus pushBus = new KeptBus();
      StepFunction push = new StepFunction(pipeline(pushBus), poisonTo(pushBus));
      assertThat(StepFunctionTest.call(push, body)).as(c.getKey() + ": push answers 2xx (acknowledged)").isBetween(200, 299);
      pushReasons.add(c.getKey() + ": " + onlyDeadLetter(pushBus, c.getKey()));

      KeptBus eventBus = new KeptBus();
      StepEventFunction event = new StepEventFunction(pipeline(eventBus), poisonTo(eventBus), "raw", "uploads/", false);
      // Returns (acknowledged) rather than throwing (retried).
      event.accept(JsonCloudEvent.fixture("pubsub-published.json").withRawData(body));
      eventReasons.add(c.getKey() + ": " + onlyDeadLetter(eventBus, c.getKey()));
    }
    assertThat(eventReasons).isEqualTo(pushReasons);
  }

  /** The one message dead-lettered, to the step's dead-letter topic; returns its reason. */
  private static String onlyDeadLetter(KeptBus bus, String what) {
    assertThat(bus.topics).as(what + ": dead-lettered once").containsExactly("chain-loudness-dead-letter");
    Map<String, String> attrs = bus.messages.get(0).attributes();
    assertThat(attrs).as(what).containsEntry("wavegraph-step", "loudness");
    String reason = attrs.get("wavegraph-error");
    assertThat(reason).as(what + ": a reason").isNotBlank();
    return reason;
  }

  /** What the runtime does with poison the entry point finds ({@link StepRuntime#deadLetter}). */
  private static BiConsumer<byte[], String> poisonTo(KeptBus bus) {
    return (body, reason) -> bus.publish("chain-loudness-dead-letter",
        new Message(body, Map.of("wavegraph-step", "loudness", "wavegraph-error", reason)));
  }

  private StepPipeline pipeline(MessageBus bus) throws Exception {
    // The fixture's versions carry no code hash; FunctionConfigTest.config fills in the current one.
    FunctionConfig config = FunctionConfig.parse(FunctionConfigTest.config("chain-loudness.json"));
    ResolvedGraph g = Neighbourhood.resolve(config, StepFactory.fromClassPath(PoisonTest.class.getClassLoader()));
    // Poison never reaches blobs or the ledger: the pipeline settles it on decoding.
    Ports ports = new Ports(bus, null, null, null, Clock.systemUTC());
    return new StepPipeline(g, config.step(), ports, new Layout(config.topicPrefix()), e -> { }, runner, tmp, "test");
  }


}
