package io.wavegraph.audio.separation.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wavegraph.audio.separation.SeparationKernels;
import io.wavegraph.audio.steps.SeparateStep;
import io.wavegraph.core.step.Params;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Runs without CUDA: the build points {@code wavegraph.gpu.library} at a file that does not exist
 * (see this module's pom), so the library never loads here, whatever the machine has.
 */
class GpuSeparationKernelsTest {
  @Test
  void installedByNameButNotAvailableWithoutTheLibrary() {
    assertThat(SeparationKernels.installed()).containsExactly("cpu", "gpu");
    assertThat(SeparationKernels.available()).containsExactly("cpu");
  }

  @Test
  void askingForItSaysWhyItCannotRun() {
    assertThatThrownBy(() -> SeparationKernels.named("gpu"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("separation kernels 'gpu' cannot run here")
        .hasMessageContaining("no-such-library.so (from system property wavegraph.gpu.library) does not exist")
        .hasMessageContaining("build-native.sh")
        .hasMessageContaining("available: cpu");
  }

  @Test
  void theStepAcceptsGpuButFailsToOpenWithTheReason() throws Exception {
    SeparateStep step = new SeparateStep();
    step.configure(new Params(Map.of("kernels", "gpu")));
    assertThatThrownBy(() -> step.open(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'gpu' cannot run here")
        .hasMessageContaining("does not exist");
  }

  @Test
  void providerRefusesToCreateWhenUnavailable() {
    GpuSeparationKernels.Provider p = new GpuSeparationKernels.Provider();
    assertThat(p.name()).isEqualTo("gpu");
    assertThat(p.available()).isFalse();
    assertThatThrownBy(p::create).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not exist");
  }

  @Test
  void unsupportedSizesAreRefusedNamingTheParameter() {
    GpuSeparationKernels k = new GpuSeparationKernels();
    float[] big = new float[1 << 16];
    assertThatThrownBy(() -> k.stft(big, 4096, 1024, 256, big, big))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("fft must be 2048");
    assertThatThrownBy(() -> k.istft(big, big, 4, 4096, 1024, big, 4096))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("fft must be 2048");
    assertThatThrownBy(() -> k.medianAlongTime(big, 16, 1025, 257, big))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("median kernel must be at most 255");
    assertThatThrownBy(() -> k.medianAlongFrequency(big, 16, 1025, 16, big))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("median kernel must be odd");
    assertThatThrownBy(() -> k.repeatingFrames(big, 16, 0, 16, 300, 2, 0f, new int[4800], new int[16]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("maxRepeats must be between 1 and 256");
    assertThatThrownBy(() -> k.repeatingModel(big, 16, 1025, 0, 16, 257, new int[16 * 257], new int[16], big))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("maxRepeats must be between 1 and 256");
  }

  @Test
  void shortArraysAreRefusedBeforeTheDeviceIsTouched() {
    GpuSeparationKernels k = new GpuSeparationKernels();
    assertThatThrownBy(() -> k.magnitude(new float[10], new float[10], 11, new float[11]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("re holds 10 values, needs 11");
    assertThatThrownBy(() -> k.similarity(new float[1025 * 4], 4, 1025, 2, 3, new float[12]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not within the 4 frames");
  }

  @Test
  void supportedSizesWithoutTheLibraryFailWithTheReason() {
    GpuSeparationKernels k = new GpuSeparationKernels();
    assertThatThrownBy(() -> k.magnitude(new float[4], new float[4], 4, new float[4]))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("gpu separation kernels cannot run here")
        .hasMessageContaining("does not exist");
  }
}
