package io.wavegraph.core.pipeline;

import io.wavegraph.core.port.BlobStore;
import io.wavegraph.core.port.Ledger;
import io.wavegraph.core.port.MessageBus;
import java.time.Clock;

/**
 * The adapters one runtime wires the step pipeline to: embedded parts on one machine, Google
 * Cloud services in the cloud.
 *
 * @param input the input bucket that the roots read
 * @param output the bucket that holds every step's outputs, under {@code {step}/}
 */
public record Ports(MessageBus bus, BlobStore input, BlobStore output, Ledger ledger, Clock clock) {}
