package io.wavegraph.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ChannelMixerTest {

  private static float[] mix(int in, int out, float... frames) {
    float[] result = new float[frames.length / in * out];
    ChannelMixer.create(in, out).mix(frames, frames.length / in, result);
    return result;
  }

  @Test
  void averagesToMono() {
    assertThat(mix(2, 1, 0.5f, 0.25f, -1f, 1f)).containsExactly(0.375f, 0f);
    assertThat(mix(3, 1, 0.3f, 0.3f, 0.3f)[0]).isCloseTo(0.3f, within(1e-7f));
  }

  @Test
  void duplicatesMono() {
    assertThat(mix(1, 3, 0.5f, -0.25f)).containsExactly(0.5f, 0.5f, 0.5f, -0.25f, -0.25f, -0.25f);
  }

  @Test
  void sameCountCopies() {
    assertThat(mix(2, 2, 0.1f, 0.2f)).containsExactly(0.1f, 0.2f);
  }

  @Test
  void onlySameCountIsTheIdentityThatCallersMaySkip() {
    assertThat(ChannelMixer.create(2, 2).isIdentity()).isTrue();
    assertThat(ChannelMixer.create(1, 1).isIdentity()).isTrue();
    assertThat(ChannelMixer.create(2, 1).isIdentity()).isFalse();
    assertThat(ChannelMixer.create(6, 2).isIdentity()).isFalse();
  }

  @Test
  void downmixesFivePointOneWithItuCoefficients() {
    // L R C LFE Ls Rs
    float[] out = mix(6, 2, 0.1f, 0.2f, 0.4f, 0.9f, 0.3f, 0.5f);
    double c = Math.sqrt(0.5);
    assertThat((double) out[0]).isCloseTo(0.1 + c * 0.4 + c * 0.3, within(1e-6));
    assertThat((double) out[1]).isCloseTo(0.2 + c * 0.4 + c * 0.5, within(1e-6));
  }

  @Test
  void rejectsUnknownLayouts() {
    assertThatThrownBy(() -> ChannelMixer.create(4, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("from 4 to 2");
    assertThatThrownBy(() -> ChannelMixer.create(0, 2)).isInstanceOf(IllegalArgumentException.class);
  }
}
