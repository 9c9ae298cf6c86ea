package io.wavegraph.compiler.workflows;

import java.util.List;
import java.util.Map;

/** The binary operators, with Workflows' typing: no implicit string conversion, int op int stays int (but / is double). */
final class Operators {
  private Operators() {}

  static Object apply(String op, Object a, Object b) {
    switch (op) {
      case "==":
        return Values.equal(a, b);
      case "!=":
        return !Values.equal(a, b);
      case "in":
        if (b instanceof List<?> l) return l.stream().anyMatch(x -> Values.equal(x, a));
        if (b instanceof Map<?, ?> m) return m.containsKey(Values.text(a));
        throw WorkflowError.of("TypeError", "'in' needs a list or a map, got " + Values.type(b));
      case "+":
        if (a instanceof String x && b instanceof String y) return x + y;
        return arithmetic(op, a, b);
      case "-", "*", "/", "%", "//":
        return arithmetic(op, a, b);
      case "<", "<=", ">", ">=":
        int c = compare(a, b);
        return switch (op) {
          case "<" -> c < 0;
          case "<=" -> c <= 0;
          case ">" -> c > 0;
          default -> c >= 0;
        };
      default:
        throw new Unsupported("operator " + op);
    }
  }

  private static int compare(Object a, Object b) {
    if (a instanceof Number x && b instanceof Number y) return Double.compare(x.doubleValue(), y.doubleValue());
    if (a instanceof String x && b instanceof String y) return x.compareTo(y);
    throw WorkflowError.of("TypeError", "cannot compare " + Values.type(a) + " with " + Values.type(b));
  }

  private static Object arithmetic(String op, Object a, Object b) {
    if (!(a instanceof Number x) || !(b instanceof Number y)) {
      throw WorkflowError.of("TypeError", "unsupported operand types for " + op + ": " + Values.type(a) + " and " + Values.type(b));
    }
    if (a instanceof Long i && b instanceof Long j && !op.equals("/")) {
      return switch (op) {
        case "+" -> i + j;
        case "-" -> i - j;
        case "*" -> i * j;
        case "%" -> Math.floorMod(i, j);
        default -> Math.floorDiv(i, j);
      };
    }
    double p = x.doubleValue();
    double q = y.doubleValue();
    return switch (op) {
      case "+" -> p + q;
      case "-" -> p - q;
      case "*" -> p * q;
      case "/" -> p / q;
      case "%" -> p % q;
      default -> Math.floor(p / q);
    };
  }
}
