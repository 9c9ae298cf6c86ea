package io.wavegraph.tfprovider;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.wavegraph.tfprovider.SchemaModel.Block;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Planning and data source reads on a small hand-written block, and the wire format round trip. */
class PlannerTest {
  private static final Block BLOCK = SchemaModel.parse(json("""
      {"provider": {"attributes": {}, "blocks": {}}, "data_sources": {},
       "resources": {"r": {
         "attributes": {
           "name": {"type": "string", "required": true},
           "project": {"type": "string", "optional": true},
           "labels": {"type": ["map", "string"], "optional": true},
           "id": {"type": "string", "optional": true},
           "email": {"type": "string", "computed": true},
           "number": {"type": "string", "computed": true},
           "members": {"type": ["list", "string"], "computed": true}},
         "blocks": {"rule": {"nesting": "list", "min": 0, "max": 0, "block": {
           "attributes": {"age": {"type": "number", "optional": true}, "etag": {"type": "string", "computed": true}},
           "blocks": {}}}}}}}
      """)).resources().get("r");

  private static com.fasterxml.jackson.databind.JsonNode json(String s) {
    try {
      return new ObjectMapper().readTree(s);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, Object> config() {
    Map<String, Object> rule = new LinkedHashMap<>();
    rule.put("age", 3L);
    rule.put("etag", null);
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("name", "n");
    c.put("project", null);
    c.put("labels", null);
    c.put("id", null);
    c.put("email", null);
    c.put("number", null);
    c.put("members", null);
    c.put("rule", new ArrayList<>(List.of(rule)));
    return c;
  }

  @Test
  @SuppressWarnings("unchecked")
  void planKeepsConfigurationAndLeavesComputedValuesUnknown() {
    Map<String, Object> planned = (Map<String, Object>) new Planner(Map.of("project", "p")).plan(BLOCK, config());
    assertThat(planned.get("name")).isEqualTo("n");
    assertThat(planned.get("project")).isEqualTo("p");
    assertThat(planned.get("labels")).isNull();
    assertThat(planned.get("id")).isSameAs(CtyValues.UNKNOWN);
    assertThat(planned.get("email")).isSameAs(CtyValues.UNKNOWN);
    Map<String, Object> rule = ((List<Map<String, Object>>) planned.get("rule")).get(0);
    assertThat(rule.get("age")).isEqualTo(3L);
    assertThat(rule.get("etag")).isSameAs(CtyValues.UNKNOWN);
    assertThat(new Planner(Map.of()).plan(BLOCK, null)).as("destroy").isNull();
  }

  @Test
  void planOfAnUpdateKeepsPriorComputedValues() {
    Map<String, Object> proposed = config();
    proposed.put("email", "a@b");
    proposed.put("id", "x");
    Object planned = new Planner(Map.of()).plan(BLOCK, proposed);
    assertThat(planned).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
        .containsEntry("email", "a@b").containsEntry("id", "x");
  }

  @Test
  @SuppressWarnings("unchecked")
  void dataSourceReadsAnswerKnownValues() {
    Map<String, Object> state = (Map<String, Object>) new Planner(Map.of("project", "p")).read("google_x", BLOCK, config());
    assertThat(state.get("number")).isEqualTo(Planner.PROJECT_NUMBER);
    assertThat(state.get("email")).asString().endsWith(".iam.gserviceaccount.com");
    assertThat(state.get("members")).isEqualTo(List.of());
    assertThat(state.get("id")).isEqualTo("google_x/p");
    assertThat(state.values()).doesNotContain(CtyValues.UNKNOWN);
  }

  @Test
  void msgpackRoundTripKeepsUnknownsAndShapes() {
    Map<String, Object> v = new HashMap<>(config());
    v.put("email", CtyValues.UNKNOWN);
    v.put("number", 12.5);
    Object back = CtyValues.decode(CtyValues.encode(v));
    assertThat(back).isEqualTo(v);
    // Terraform's refined unknown (extension 12) reads as unknown too.
    assertThat(CtyValues.decode(new byte[] {(byte) 0xd4, 12, 0})).isSameAs(CtyValues.UNKNOWN);
  }
}
