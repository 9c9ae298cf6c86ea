package io.wavegraph.compiler;

import static org.assertj.core.api.Assertions.assertThat;

import io.wavegraph.core.graph.StepKind;
import io.wavegraph.core.graph.StepSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StepSizingTest {

  private static StepSpec step(String uses, String className, String memory) {
    return new StepSpec("s", uses, className, List.of(), Map.of(), 3, Duration.ofSeconds(300), memory, null,
        StepKind.FUNCTION, null, null, null);
  }

  @Test
  void audioBuiltInsGetOneWholeVcpuAndOneRequestPerVcpu() {
    // At 1 GiB Cloud Run functions would give 0.583 vCPU by default: a CPU-bound step then takes
    // 1.7 times as long and pays for its memory that much longer.
    for (String uses : List.of("downsample", "loudness", "tempo", "mel", "mfcc")) {
      StepSizing.Size size = StepSizing.of(step(uses, null, StepSpec.DEFAULT_MEMORY));
      assertThat(size).as(uses).isEqualTo(new StepSizing.Size("1Gi", "1", 1));
    }
  }

  @Test
  void aStepThatHoldsAWholeMatrixGetsMoreThanTheDefault() {
    // 384 MiB of JVM + 640 MiB for the spectrogram's matrix and files: exactly 1 GiB.
    assertThat(StepSizing.of(step("spectrogram", null, "512Mi"))).isEqualTo(new StepSizing.Size("1Gi", "1", 1));
  }

  @Test
  void moreMemoryInTheGraphWinsAndBringsTheVcpusItNeeds() {
    assertThat(StepSizing.of(step("downsample", null, "2Gi"))).isEqualTo(new StepSizing.Size("2Gi", "1", 1));
    // Above 4 GiB Cloud Run needs 2 vCPUs.
    assertThat(StepSizing.of(step("tempo", null, "6Gi"))).isEqualTo(new StepSizing.Size("6Gi", "2", 1));
  }

  @Test
  void aUsersClassGetsTheFunctionsTierOfItsMemoryAndOneRequestAtATime() {
    assertThat(StepSizing.of(step(null, "com.example.Gain", "1Gi"))).isEqualTo(new StepSizing.Size("1Gi", "0.583", 1));
    assertThat(StepSizing.of(step(null, "com.example.Gain", "256Mi"))).isEqualTo(new StepSizing.Size("256Mi", "0.167", 1));
    assertThat(StepSizing.of(step(null, "com.example.Gain", "4Gi"))).isEqualTo(new StepSizing.Size("4Gi", "2", 1));
  }

  @Test
  void aFractionalVcpuNeverServesMoreThanOneRequest() {
    for (String memory : List.of("128Mi", "512Mi", "1Gi", "2Gi", "8Gi", "16Gi")) {
      for (String uses : new String[] {null, "downsample", "spectrogram"}) {
        StepSizing.Size size = StepSizing.of(step(uses, uses == null ? "com.example.X" : null, memory));
        if (size.vcpus() < 1) assertThat(size.concurrency()).as(memory + " " + uses).isEqualTo(1);
        if (size.vcpus() >= 1 && size.vcpus() < 4) {
          assertThat(size.memoryMib()).as("at most 4 GiB per vCPU below 4: " + size).isLessThanOrEqualTo((long) (size.vcpus() * 4096));
        }
      }
    }
  }
}
