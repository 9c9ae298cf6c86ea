package io.wavegraph.compiler.workflows;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Variables of a subworkflow, a loop iteration or a parallel branch. Reading walks out to the
 * enclosing scopes; an assignment updates the scope that holds the variable, or defines it here.
 * A parallel branch may only assign its parent's variables that are listed as {@code shared}.
 */
final class Scope {
  private final Map<String, Object> vars = new HashMap<>();
  private final Scope parent;
  private final Set<String> shared; // non-null for a parallel branch

  private Scope(Scope parent, Set<String> shared) {
    this.parent = parent;
    this.shared = shared;
  }

  static Scope root() {
    return new Scope(null, null);
  }

  Scope child() {
    return new Scope(this, null);
  }

  Scope branch(Set<String> sharedNames) {
    return new Scope(this, sharedNames);
  }

  void define(String name, Object value) {
    vars.put(name, value);
  }

  Object get(String name) {
    for (Scope s = this; s != null; s = s.parent) {
      if (s.vars.containsKey(name)) return s.vars.get(name);
    }
    throw new Unsupported("undefined variable '" + name + "'");
  }

  /** The scope that holds {@code name}, checking that this scope may write it; null when none does. */
  Scope owner(String name) {
    boolean crossedBranch = false;
    for (Scope s = this; s != null; s = s.parent) {
      if (s.vars.containsKey(name)) {
        if (crossedBranch) throw new Unsupported("a parallel branch assigns '" + name + "', which is not shared");
        return s;
      }
      if (s.shared != null && !s.shared.contains(name)) crossedBranch = true;
      if (s.shared != null && s.shared.contains(name)) {
        // Shared: writable from here, wherever above it lives.
        Scope holder = s.parent;
        while (holder != null && !holder.vars.containsKey(name)) holder = holder.parent;
        if (holder == null) throw new Unsupported("shared variable '" + name + "' is not defined before the parallel step");
        return holder;
      }
    }
    return null;
  }

  void assign(String name, Object value) {
    Scope s = owner(name);
    (s == null ? this : s).vars.put(name, value);
  }
}
