package io.wavegraph.compiler.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wavegraph.compiler.GraphCompiler;
import io.wavegraph.core.envelope.ItemIds;
import io.wavegraph.core.graph.GraphParser;
import io.wavegraph.core.graph.ResolvedGraph;
import io.wavegraph.core.step.StepFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The workflows name items exactly as the roots do: the compiled {@code item_of_object}
 * subworkflow, run in {@link WorkflowInterpreter}, against {@link ItemIds} on the shared table of
 * object names ({@code shared-lib/core/src/test/resources/item-ids.json}, which core's {@code
 * ItemIdsTableTest} checks against {@link ItemIds}).
 */
class ItemIdWorkflowTest {
  static final Path TABLE = Path.of("../shared-lib/core/src/test/resources/item-ids.json");

  /** The chain graph with its input under {@code prefix}; its compiled backfill workflow. */
  static String backfillWithInputPrefix(String prefix) throws Exception {
    String yaml = Files.readString(Path.of("src/test/resources/compiler/graphs/chain.yaml"))
        .replace("input: gs://my-raw-audio", "input: gs://my-raw-audio/" + prefix);
    ResolvedGraph g = new GraphParser(StepFactory.fromClassPath(ItemIdWorkflowTest.class.getClassLoader()))
        .parse(yaml, "chain.yaml", null);
    return new GraphCompiler().compile(g).files().get("workflows/chain-backfill.yaml");
  }

  /** What item_of_object returns for each name, and what it logged. */
  static final class Logs implements Connectors {
    final List<Object> logged = new ArrayList<>();

    @Override
    public boolean has(String name) {
      return name.equals("sys.log");
    }

    @Override
    public Object call(String name, Map<String, Object> args) {
      logged.add(args);
      return null;
    }
  }

  @Test
  void theWorkflowNamesEveryObjectOfTheSharedTableAsItemIdsDoes() throws Exception {
    JsonNode table = new ObjectMapper().readTree(TABLE.toFile());
    Set<String> prefixes = new LinkedHashSet<>();
    table.get("cases").forEach(c -> prefixes.add(c.get("prefix").asText()));
    assertThat(prefixes).as("the table covers the bucket root and prefixes").contains("", "tracks/");
    Map<String, WorkflowInterpreter> byPrefix = new HashMap<>();
    Logs logs = new Logs();
    List<String> disagreements = new ArrayList<>();
    int checked = 0;
    for (JsonNode c : table.get("cases")) {
      String prefix = c.get("prefix").asText();
      String name = c.get("name").asText();
      WorkflowInterpreter wf = byPrefix.computeIfAbsent(prefix, p -> {
        try {
          return new WorkflowInterpreter(backfillWithInputPrefix(p), new StandardLibrary(new VirtualClock(), Map.of()), logs);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      Object workflow = wf.call("item_of_object", Map.of("name", name));
      String java = javaId(name, prefix);
      checked++;
      if (!sameId(java, workflow)) disagreements.add("'" + prefix + "' + '" + name + "': ItemIds " + java + ", workflow " + workflow);
      // The table itself: what both must say.
      String expected = c.hasNonNull("id") ? c.get("id").asText() : null;
      if (!sameId(expected, workflow)) disagreements.add("'" + prefix + "' + '" + name + "': table " + expected + ", workflow " + workflow);
    }
    assertThat(disagreements).as("names where the workflow and ItemIds disagree").isEmpty();
    assertThat(checked).isGreaterThan(30);
    assertThat(logs.logged).as("a refused id is logged, not published").isNotEmpty();
  }

  /** What a root derives from an object name, or null where it names no item (refused, folder, outside). */
  private static String javaId(String name, String prefix) {
    if (ItemIds.isFolder(name)) return null;
    try {
      return ItemIds.fromObjectName(name, prefix);
    } catch (io.wavegraph.core.envelope.InvalidEnvelopeException e) {
      return null;
    }
  }

  private static boolean sameId(String a, Object b) {
    return a == null ? b == null : a.equals(b);
  }
}
