package io.wavegraph.core.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The shared table of object names ({@code item-ids.json}) against {@link ItemIds}: what the roots
 * derive. The graph compiler's {@code ItemIdWorkflowTest} runs the workflows' derivation on the
 * same table.
 */
class ItemIdsTableTest {
  /** One row of the table. */
  record Case(String prefix, String name, String id, boolean refused, boolean folder, boolean outside) {
    @Override
    public String toString() {
      return "'" + prefix + "' + '" + ItemIdsTableTest.printable(name) + "'";
    }
  }

  static List<Case> cases() throws IOException {
    JsonNode root;
    try (InputStream in = ItemIdsTableTest.class.getResourceAsStream("/item-ids.json")) {
      root = new ObjectMapper().readTree(in);
    }
    List<Case> out = new ArrayList<>();
    for (JsonNode c : root.get("cases")) {
      out.add(new Case(c.get("prefix").asText(), c.get("name").asText(), c.hasNonNull("id") ? c.get("id").asText() : null,
          c.path("refused").asBoolean(), c.path("folder").asBoolean(), c.path("outside").asBoolean()));
    }
    return out;
  }

  static String printable(String s) {
    return s.length() > 40 ? s.substring(0, 20) + "…(" + s.length() + ")" : s.replaceAll("\\p{Cntrl}", "?");
  }

  @Test
  void everyCaseNamesTheIdOfTheTableOrIsRefused() throws Exception {
    List<Case> cases = cases();
    assertThat(cases).hasSizeGreaterThan(30);
    for (Case c : cases) {
      if (c.folder()) {
        assertThat(ItemIds.isFolder(c.name())).as(c.toString()).isTrue();
      } else if (c.refused() || c.outside()) {
        assertThat(ItemIds.isFolder(c.name())).as(c.toString()).isFalse();
        assertThatThrownBy(() -> ItemIds.fromObjectName(c.name(), c.prefix())).as(c.toString())
            .isInstanceOf(InvalidEnvelopeException.class);
      } else {
        assertThat(ItemIds.isFolder(c.name())).as(c.toString()).isFalse();
        assertThat(ItemIds.fromObjectName(c.name(), c.prefix())).as(c.toString()).isEqualTo(c.id());
      }
    }
  }

  /** {@link ItemIds#INVALID} (what the workflows refuse with) says what {@link ItemIds#check} says. */
  @Test
  void theInvalidPatternAgreesWithCheck() throws IOException {
    Pattern invalid = Pattern.compile(ItemIds.INVALID);
    List<String> ids = new ArrayList<>();
    for (Case c : cases()) {
      if (!c.folder() && !c.outside()) ids.add(stripped(c));
    }
    ids.addAll(List.of("", "/", "a/", ".", "..", "a/.", "./a", "a\u007fb", "ok/fine", "..a", "a..", ".a."));
    for (String id : ids) {
      boolean tooLong = id.getBytes(StandardCharsets.UTF_8).length > ItemIds.MAX_BYTES;
      boolean refused;
      try {
        ItemIds.check(id);
        refused = false;
      } catch (InvalidEnvelopeException e) {
        refused = true;
      }
      assertThat(invalid.matcher(id).find() || tooLong).as(printable(id)).isEqualTo(refused);
    }
  }

  /** The id before validation: the name after the prefix, without its extension. */
  private static String stripped(Case c) {
    String rest = c.name().substring(c.prefix().length());
    var m = Pattern.compile(ItemIds.HAS_EXTENSION).matcher(rest);
    return m.find() ? rest.substring(0, m.start() + 1) : rest;
  }
}
