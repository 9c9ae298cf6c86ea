package io.wavegraph.core.envelope;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;

/** Which steps should act on an envelope: all of them ({@code *}), or a list. */
public record Recipients(List<String> steps) {
  private static final Recipients ALL = new Recipients(null);

  public Recipients {
    steps = steps == null ? null : List.copyOf(new LinkedHashSet<>(steps));
  }

  public static Recipients all() {
    return ALL;
  }

  public static Recipients only(Collection<String> steps) {
    return new Recipients(new ArrayList<>(steps));
  }

  public boolean isAll() {
    return steps == null;
  }

  public boolean includes(String step) {
    return steps == null || steps.contains(step);
  }

  /** These recipients plus {@code more} (still all, when all). */
  public Recipients plus(Collection<String> more) {
    if (isAll()) return this;
    List<String> joined = new ArrayList<>(steps);
    joined.addAll(more);
    return new Recipients(joined);
  }

  @Override
  public String toString() {
    return isAll() ? "*" : String.join(",", steps);
  }
}
