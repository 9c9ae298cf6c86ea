package io.wavegraph.audio.separation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SortingNetworkTest {
  @Test
  void theFullNetworkSortsAndTheMedianNetworkPlacesTheMiddleForEveryLength() {
    Random rnd = new Random(7);
    for (int n = 1; n <= 130; n++) {
      for (int trial = 0; trial < 20; trial++) {
        float[] v = new float[n];
        // Few distinct values too, so ties are exercised.
        for (int i = 0; i < n; i++) v[i] = trial % 2 == 0 ? rnd.nextFloat() : rnd.nextInt(4);
        float[] sorted = v.clone();
        Arrays.sort(sorted);
        assertThat(apply(SortingNetwork.of(n), v.clone())).as("sort of %d", n).containsExactly(sorted);
        float[] m = apply(SortingNetwork.median(n), v.clone());
        assertThat(m[(n - 1) / 2]).as("lower middle of %d", n).isEqualTo(sorted[(n - 1) / 2]);
        assertThat(m[n / 2]).as("upper middle of %d", n).isEqualTo(sorted[n / 2]);
      }
    }
    assertThat(SortingNetwork.median(100).length).isLessThan(SortingNetwork.of(100).length);
  }

  private static float[] apply(int[] network, float[] v) {
    for (int c = 0; c < network.length; c += 2) {
      float a = v[network[c]];
      float b = v[network[c + 1]];
      v[network[c]] = Math.min(a, b);
      v[network[c + 1]] = Math.max(a, b);
    }
    return v;
  }
}
