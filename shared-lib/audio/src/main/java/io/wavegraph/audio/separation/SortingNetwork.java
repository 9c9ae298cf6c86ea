package io.wavegraph.audio.separation;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Batcher's odd-even merge sort as a list of compare-exchange pairs, for any length: applying
 * each pair {@code (i, j)} as {@code (min, max)} in order sorts {@code n} values. The same pairs
 * sort many columns at once without a branch.
 */
final class SortingNetwork {
  private static final ConcurrentHashMap<Integer, int[]> CACHE = new ConcurrentHashMap<>();

  private SortingNetwork() {}

  /** The pairs for {@code n} values, flattened: {@code i0, j0, i1, j1, ...} with each i < j. */
  static int[] of(int n) {
    return CACHE.computeIfAbsent(n, SortingNetwork::build);
  }

  private static int[] build(int n) {
    java.util.List<Integer> pairs = new java.util.ArrayList<>();
    for (int p = 1; p < n; p <<= 1) {
      for (int k = p; k >= 1; k >>= 1) {
        for (int j = k % p; j + k < n; j += 2 * k) {
          for (int i = 0; i < k && i + j + k < n; i++) {
            if ((i + j) / (2 * p) == (i + j + k) / (2 * p)) {
              pairs.add(i + j);
              pairs.add(i + j + k);
            }
          }
        }
      }
    }
    return pairs.stream().mapToInt(Integer::intValue).toArray();
  }
}
