package io.wavegraph.tfprovider;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough of HCL's native syntax to find blocks: braces counted outside strings, comments and
 * heredocs, with template interpolations ({@code "${...}"}) followed into and out of. Used to drop a
 * root module's backend and to find its required variables; Terraform itself parses everything else.
 */
final class Hcl {
  private Hcl() {}

  /**
   * A block (or object) opened by a brace: the text before the brace since the line's start (or the
   * last brace), and its extent; its parent's end is not filled in.
   */
  record Block(int depth, String header, int start, int end, Block parent) {}

  /** An attribute or block line: its nesting depth and where it starts. */
  record Line(int depth, int start) {}

  private record Scan(List<Block> blocks, List<Line> lines) {}

  private static final Pattern BACKEND = Pattern.compile("(backend\\s+\"[^\"]*\"|cloud)");
  private static final Pattern VARIABLE = Pattern.compile("variable\\s+\"([^\"]+)\"");
  private static final Pattern HEREDOC = Pattern.compile("<<-?([A-Za-z_][A-Za-z0-9_-]*)[ \\t]*\\r?\\n");

  /** {@code text} without the {@code backend} and {@code cloud} blocks of its {@code terraform} blocks. */
  static String withoutBackend(String text) {
    List<int[]> cuts = new ArrayList<>();
    for (Block b : scan(text).blocks()) {
      if (b.depth() == 1 && b.parent() != null && b.parent().header().equals("terraform")
          && BACKEND.matcher(b.header()).matches()) {
        cuts.add(new int[] {b.start(), b.end()});
      }
    }
    StringBuilder out = new StringBuilder(text);
    for (int i = cuts.size() - 1; i >= 0; i--) {
      out.replace(cuts.get(i)[0], cuts.get(i)[1], "");
    }
    return out.toString();
  }

  /** The variables without a default, each with its type expression ({@code string} when none). */
  static Map<String, String> requiredVariables(String text) {
    Scan scan = scan(text);
    Map<String, String> out = new LinkedHashMap<>();
    for (Block b : scan.blocks()) {
      Matcher m = VARIABLE.matcher(b.header());
      if (b.depth() != 0 || !m.matches()) {
        continue;
      }
      boolean hasDefault = false;
      String type = "string";
      for (Line l : scan.lines()) {
        if (l.depth() != 1 || l.start() <= b.start() || l.start() >= b.end()) {
          continue;
        }
        int close = text.lastIndexOf('}', b.end() - 1); // the block's own closing brace
        String rest = text.substring(l.start(), Math.max(l.start(), close));
        int nl = rest.indexOf('\n');
        String line = (nl < 0 ? rest : rest.substring(0, nl)).trim();
        if (line.matches("default\\s*=.*")) {
          hasDefault = true;
        } else if (line.matches("type\\s*=.*")) {
          type = line.substring(line.indexOf('=') + 1).trim();
        }
      }
      if (!hasDefault) {
        out.put(m.group(1), type);
      }
    }
    return out;
  }

  private static Scan scan(String s) {
    List<Block> blocks = new ArrayList<>();
    List<Line> lines = new ArrayList<>();
    Deque<int[]> open = new ArrayDeque<>(); // {index in blocks} of each open brace
    Deque<Block> parents = new ArrayDeque<>();
    Deque<Integer> interpolations = new ArrayDeque<>(); // the depth each open "${" returns to its string at
    int depth = 0;
    int lineStart = 0;
    boolean inString = false;
    int n = s.length();
    lines.add(new Line(0, 0));
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      char next = i + 1 < n ? s.charAt(i + 1) : '\0';
      if (inString) {
        if (c == '\\') {
          i++;
        } else if (c == '"') {
          inString = false;
        } else if ((c == '$' || c == '%') && next == c && i + 2 < n && s.charAt(i + 2) == '{') {
          i += 2; // $${ and %%{ are literal
        } else if ((c == '$' || c == '%') && next == '{') {
          interpolations.push(depth);
          inString = false;
          i++;
        }
        continue;
      }
      if (c == '#' || (c == '/' && next == '/')) {
        int nl = s.indexOf('\n', i);
        i = (nl < 0 ? n : nl) - 1;
      } else if (c == '/' && next == '*') {
        int close = s.indexOf("*/", i + 2);
        i = (close < 0 ? n : close + 2) - 1;
      } else if (c == '"') {
        inString = true;
      } else if (c == '<' && next == '<') {
        Matcher m = HEREDOC.matcher(s).region(i, n);
        if (m.lookingAt()) {
          Matcher end = Pattern.compile("(?m)^[ \\t]*" + Pattern.quote(m.group(1)) + "[ \\t]*$").matcher(s).region(m.end(), n);
          i = (end.find() ? end.end() : n) - 1;
        }
      } else if (c == '{') {
        Block parent = parents.peek();
        String header = s.substring(lineStart, i).trim();
        Block b = new Block(depth, header, lineStart, -1, parent);
        open.push(new int[] {blocks.size()});
        blocks.add(b);
        parents.push(b);
        depth++;
        lineStart = i + 1;
        lines.add(new Line(depth, lineStart));
      } else if (c == '}') {
        if (!interpolations.isEmpty() && interpolations.peek() == depth) {
          interpolations.pop();
          inString = true;
        } else if (!open.isEmpty()) {
          int idx = open.pop()[0];
          parents.pop();
          Block b = blocks.get(idx);
          int end = i + 1;
          if (end < n && s.charAt(end) == '\n') {
            end++;
          }
          blocks.set(idx, new Block(b.depth(), b.header(), b.start(), end, b.parent()));
          depth--;
          lineStart = i + 1; // a block may follow on the same line: terraform { backend "gcs" {} }
        }
      } else if (c == '\n') {
        lineStart = i + 1;
        lines.add(new Line(depth, lineStart));
      }
    }
    return new Scan(blocks, lines);
  }
}
