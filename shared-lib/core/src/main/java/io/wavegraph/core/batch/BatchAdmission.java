package io.wavegraph.core.batch;

import io.wavegraph.core.envelope.EnvelopeCodec;
import io.wavegraph.core.pipeline.StepPipeline;
import io.wavegraph.core.pipeline.StepPipeline.Admission;
import io.wavegraph.core.port.Ack;
import io.wavegraph.core.port.Delivery;
import io.wavegraph.core.port.MessageBus;
import io.wavegraph.core.port.MessageHandler;

/**
 * A batch step's front door in the cloud: every request on the step's topic is admitted by the
 * step pipeline's stages 1 to 5 ({@link StepPipeline#admit}), as the embedded {@link
 * BatchCollector} admits it, and only a request that needs a run is passed to the step's
 * admitted-requests topic ({@code Layout.admittedTopic}), which the batch workflow gathers. So a
 * re-run of finished work is skipped and passed on here, and never starts a job (ADR 0007,
 * "admission first"; ADR 0010).
 *
 * <p>Acknowledges once the request is settled or forwarded; a forward that fails is nacked, so
 * the bus redelivers the request and admission runs again (a duplicate in the admitted topic is
 * one more entry the batch workflow folds into its item's).
 */
public final class BatchAdmission implements MessageHandler {
  private final StepPipeline pipeline;
  private final MessageBus bus;
  private final String admittedTopic;

  public BatchAdmission(StepPipeline pipeline, MessageBus bus, String admittedTopic) {
    this.pipeline = pipeline;
    this.bus = bus;
    this.admittedTopic = admittedTopic;
  }

  @Override
  public Ack handle(Delivery delivery) {
    Admission admission = pipeline.admit(delivery);
    if (admission instanceof Admission.Settled s) return s.ack();
    try {
      bus.publish(admittedTopic, EnvelopeCodec.encode(((Admission.Work) admission).envelope()));
      return Ack.ACK;
    } catch (RuntimeException e) {
      return Ack.NACK;
    }
  }
}
