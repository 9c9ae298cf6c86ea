package io.wavegraph.audio.separation;

/** The median of a short run of floats, in place (the run is reordered). */
final class Medians {
  private static final int INSERTION = 24;

  private Medians() {}

  /**
   * The median of {@code a[from .. from + n)}, the mean of the two middle values when {@code n} is
   * even (like numpy); 0 when {@code n} is 0. Reorders that run.
   */
  static float median(float[] a, int from, int n) {
    if (n == 0) return 0;
    if (n == 1) return a[from];
    if (n <= INSERTION) {
      insertionSort(a, from, from + n);
      int m = from + n / 2;
      return n % 2 == 1 ? a[m] : 0.5f * (a[m - 1] + a[m]);
    }
    int m = from + n / 2;
    float upper = select(a, from, from + n - 1, m);
    if (n % 2 == 1) return upper;
    // After selection everything left of m is <= a[m]; the lower middle is their maximum.
    float lower = a[from];
    for (int i = from + 1; i < m; i++) lower = Math.max(lower, a[i]);
    return 0.5f * (lower + upper);
  }

  private static void insertionSort(float[] a, int from, int to) {
    for (int i = from + 1; i < to; i++) {
      float v = a[i];
      int j = i - 1;
      while (j >= from && a[j] > v) {
        a[j + 1] = a[j];
        j--;
      }
      a[j + 1] = v;
    }
  }

  /** Hoare's quickselect with a median-of-three pivot: puts the k-th smallest at {@code k}. */
  private static float select(float[] a, int lo, int hi, int k) {
    while (hi > lo) {
      int mid = (lo + hi) >>> 1;
      if (a[mid] < a[lo]) swap(a, mid, lo);
      if (a[hi] < a[lo]) swap(a, hi, lo);
      if (a[hi] < a[mid]) swap(a, hi, mid);
      float pivot = a[mid];
      int i = lo;
      int j = hi;
      while (i <= j) {
        while (a[i] < pivot) i++;
        while (a[j] > pivot) j--;
        if (i <= j) {
          swap(a, i, j);
          i++;
          j--;
        }
      }
      if (k <= j) hi = j;
      else if (k >= i) lo = i;
      else return a[k];
    }
    return a[k];
  }

  private static void swap(float[] a, int i, int j) {
    float t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
}
