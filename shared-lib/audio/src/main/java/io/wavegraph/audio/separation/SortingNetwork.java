package io.wavegraph.audio.separation;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Batcher's odd-even merge sort as a list of compare-exchange pairs, for any length: applying
 * each pair {@code (i, j)} as {@code (min, max)} in order sorts {@code n} values. The same pairs
 * sort many columns at once without a branch.
 */
final class SortingNetwork {
  private static final ConcurrentHashMap<Integer, int[]> CACHE = new ConcurrentHashMap<>();
  private static final ConcurrentHashMap<Integer, int[]> MEDIAN = new ConcurrentHashMap<>();

  private SortingNetwork() {}

  /** The pairs for {@code n} values, flattened: {@code i0, j0, i1, j1, ...} with each i < j. */
  static int[] of(int n) {
    return CACHE.computeIfAbsent(n, SortingNetwork::build);
  }

  /**
   * The pairs of {@link #of(int)} that the median needs: after them, positions {@code (n - 1) / 2}
   * and {@code n / 2} hold what a full sort puts there (the other positions may not). A pair is
   * dropped when neither of its outputs reaches those positions through a later pair.
   */
  static int[] median(int n) {
    return MEDIAN.computeIfAbsent(n, SortingNetwork::prune);
  }

  private static int[] prune(int n) {
    int[] all = of(n);
    boolean[] needed = new boolean[Math.max(n, 1)];
    if (n > 0) {
      needed[(n - 1) / 2] = true;
      needed[n / 2] = true;
    }
    boolean[] keep = new boolean[all.length / 2];
    int kept = 0;
    for (int c = all.length / 2 - 1; c >= 0; c--) {
      int i = all[2 * c];
      int j = all[2 * c + 1];
      if (needed[i] || needed[j]) {
        keep[c] = true;
        needed[i] = true;
        needed[j] = true;
        kept++;
      }
    }
    int[] out = new int[2 * kept];
    for (int c = 0, o = 0; c < keep.length; c++) {
      if (!keep[c]) continue;
      out[o++] = all[2 * c];
      out[o++] = all[2 * c + 1];
    }
    return out;
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
