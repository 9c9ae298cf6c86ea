package io.wavegraph.audio.spectral;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class WindowsTest {

  @Test
  void periodicHannLikeScipyGetWindowFftbins() {
    // scipy.signal.get_window('hann', 4) = [0, 0.5, 1, 0.5]; 8: [0, .1464..., .5, .8535..., 1, ...]
    assertThat(Windows.hann(4)).containsExactly(new double[] {0, 0.5, 1, 0.5}, within(1e-15));
    double[] w8 = Windows.hann(8);
    assertThat(w8[1]).isCloseTo(0.14644660940672624, within(1e-15));
    assertThat(w8[3]).isCloseTo(0.8535533905932737, within(1e-15));
    double[] w = Windows.hann(2048);
    assertThat(w[0]).isEqualTo(0.0);
    assertThat(w[1024]).isEqualTo(1.0);
    assertThat(w[512]).isCloseTo(0.5, within(1e-15));
    for (int k = 1; k < 2048; k++) assertThat(w[k]).isCloseTo(w[2048 - k], within(1e-15)); // periodic: w[k] = w[N-k]
  }

  @Test
  void sumIsHalfTheLength() {
    double s = 0;
    for (double v : Windows.hann(2048)) s += v;
    assertThat(s).isCloseTo(1024, within(1e-9));
  }
}
