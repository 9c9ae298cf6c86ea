package io.wavegraph.compiler.workflows;

import io.wavegraph.compiler.workflows.Expression.Binary;
import io.wavegraph.compiler.workflows.Expression.Call;
import io.wavegraph.compiler.workflows.Expression.Index;
import io.wavegraph.compiler.workflows.Expression.ListOf;
import io.wavegraph.compiler.workflows.Expression.Literal;
import io.wavegraph.compiler.workflows.Expression.MapOf;
import io.wavegraph.compiler.workflows.Expression.Node;
import io.wavegraph.compiler.workflows.Expression.Unary;
import io.wavegraph.compiler.workflows.Expression.Var;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Recursive descent over the expression text. Precedence, loosest first: or, and, comparison and
 * in, + -, * / % //, unary -, then access and calls. {@code a.b.c(...)} is a call of the function
 * named {@code a.b.c}; without the parenthesis it is variable {@code a} indexed by b then c.
 */
final class ExpressionParser {
  private final String src;
  private int pos;

  ExpressionParser(String src) {
    this.src = src;
  }

  Node parseAll() {
    Node n = or();
    skipSpace();
    if (pos != src.length()) throw fail("unexpected '" + src.substring(pos) + "'");
    return n;
  }

  private Node or() {
    Node n = and();
    while (word("or")) n = new Binary("or", n, and());
    return n;
  }

  private Node and() {
    Node n = comparison();
    while (word("and")) n = new Binary("and", n, comparison());
    return n;
  }

  private Node comparison() {
    Node n = additive();
    for (String op : List.of("==", "!=", "<=", ">=", "<", ">")) {
      if (symbol(op)) return new Binary(op, n, additive());
    }
    if (word("in")) return new Binary("in", n, additive());
    return n;
  }

  private Node additive() {
    Node n = multiplicative();
    while (true) {
      if (symbol("+")) n = new Binary("+", n, multiplicative());
      else if (symbol("-")) n = new Binary("-", n, multiplicative());
      else return n;
    }
  }

  private Node multiplicative() {
    Node n = unary();
    while (true) {
      if (symbol("//")) n = new Binary("//", n, unary());
      else if (symbol("*")) n = new Binary("*", n, unary());
      else if (symbol("/")) n = new Binary("/", n, unary());
      else if (symbol("%")) n = new Binary("%", n, unary());
      else return n;
    }
  }

  private Node unary() {
    if (symbol("-")) return new Unary("-", unary());
    return postfix();
  }

  private Node postfix() {
    Node n = primary();
    while (true) {
      if (symbol("[")) {
        Node key = or();
        expect("]");
        n = new Index(n, key);
      } else if (peek('.')) {
        pos++;
        n = new Index(n, new Literal(identifier()));
      } else {
        return n;
      }
    }
  }

  private Node primary() {
    skipSpace();
    if (pos >= src.length()) throw fail("unexpected end");
    char c = src.charAt(pos);
    if (c == '(') {
      pos++;
      Node n = or();
      expect(")");
      return n;
    }
    if (c == '[') {
      pos++;
      List<Node> items = new ArrayList<>();
      if (!symbol("]")) {
        do items.add(or()); while (symbol(","));
        expect("]");
      }
      return new ListOf(items);
    }
    if (c == '{') {
      pos++;
      Map<String, Node> entries = new LinkedHashMap<>();
      if (!symbol("}")) {
        do {
          skipSpace();
          String key = src.charAt(pos) == '"' ? string() : identifier();
          expect(":");
          entries.put(key, or());
        } while (symbol(","));
        expect("}");
      }
      return new MapOf(entries);
    }
    if (c == '"' || c == '\'') return new Literal(string());
    if (Character.isDigit(c)) return new Literal(number());
    if (Character.isLetter(c) || c == '_') return name();
    throw fail("unexpected '" + c + "'");
  }

  /** A variable, a literal word, or a call of a dotted function name. */
  private Node name() {
    String first = identifier();
    switch (first) {
      case "true": return new Literal(true);
      case "false": return new Literal(false);
      case "null": return new Literal(null);
      default: break;
    }
    int save = pos;
    StringBuilder dotted = new StringBuilder(first);
    while (peek('.')) {
      pos++;
      dotted.append('.').append(identifier());
    }
    if (symbol("(")) {
      List<Node> args = new ArrayList<>();
      if (!symbol(")")) {
        do args.add(or()); while (symbol(","));
        expect(")");
      }
      return new Call(dotted.toString(), args);
    }
    pos = save;
    return new Var(first);
  }

  private String identifier() {
    skipSpace();
    int start = pos;
    while (pos < src.length() && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '_')) pos++;
    if (start == pos) throw fail("expected a name");
    return src.substring(start, pos);
  }

  private Object number() {
    int start = pos;
    while (pos < src.length() && (Character.isDigit(src.charAt(pos)) || src.charAt(pos) == '.')) pos++;
    String t = src.substring(start, pos);
    return t.contains(".") ? (Object) Double.parseDouble(t) : (Object) Long.parseLong(t);
  }

  private String string() {
    char quote = src.charAt(pos++);
    StringBuilder b = new StringBuilder();
    while (true) {
      if (pos >= src.length()) throw fail("unterminated string");
      char c = src.charAt(pos++);
      if (c == quote) return b.toString();
      if (c != '\\') {
        b.append(c);
        continue;
      }
      char e = src.charAt(pos++);
      switch (e) {
        case 'n' -> b.append('\n');
        case 't' -> b.append('\t');
        case '\\', '"', '\'' -> b.append(e);
        default -> throw new Unsupported("string escape \\" + e + " in " + src);
      }
    }
  }

  private boolean word(String w) {
    skipSpace();
    int end = pos + w.length();
    if (!src.startsWith(w, pos)) return false;
    if (end < src.length() && (Character.isLetterOrDigit(src.charAt(end)) || src.charAt(end) == '_')) return false;
    pos = end;
    return true;
  }

  private boolean symbol(String s) {
    skipSpace();
    if (!src.startsWith(s, pos)) return false;
    pos += s.length();
    return true;
  }

  private boolean peek(char c) {
    return pos < src.length() && src.charAt(pos) == c;
  }

  private void expect(String s) {
    if (!symbol(s)) throw fail("expected '" + s + "'");
  }

  private void skipSpace() {
    while (pos < src.length() && Character.isWhitespace(src.charAt(pos))) pos++;
  }

  private Unsupported fail(String why) {
    return new Unsupported("expression '" + src + "': " + why + " at " + pos);
  }
}
