package io.wavegraph.tfprovider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.wavegraph.tfprovider.SchemaModel.Block;
import io.wavegraph.tfprovider.SchemaModel.Nesting;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The schema the build extracted from @cdktf/provider-google (schema/extract.js, SchemaCompiler)
 * says what the google provider 6.50.0 documentation says, for a sample of shapes: required,
 * optional and read-only attributes, primitive and collection types, nested blocks with their
 * nesting mode and item limits, computed lists of objects, data sources and the provider itself.
 */
class SchemaModelTest {
  private static SchemaModel schema;

  @BeforeAll
  static void load() {
    try {
      schema = SchemaModel.load();
    } catch (Exception e) {
      System.out.println("SKIPPED SchemaModelTest: " + e.getMessage());
      assumeTrue(false, e.getMessage());
    }
  }

  @Test
  void everyResourceAndDataSourceType() {
    assertThat(schema.response.getResourceSchemasCount()).isGreaterThan(1000);
    assertThat(schema.response.getDataSourceSchemasCount()).isGreaterThan(350);
    assertThat(schema.resource("google_cloudfunctions2_function")).isNotNull();
    assertThat(schema.resource("google_workflows_workflow")).isNotNull();
    assertThat(schema.resource("google_no_such_thing")).isNull();
  }

  @Test
  void attributesWithTypesAndFlags() {
    Block bucket = schema.resource("google_storage_bucket");
    assertThat(bucket.attributes().get("name").required()).isTrue();
    assertThat(bucket.attributes().get("name").type().asText()).isEqualTo("string");
    assertThat(bucket.attributes().get("force_destroy").type().asText()).isEqualTo("bool");
    assertThat(bucket.attributes().get("labels").type().toString()).isEqualTo("[\"map\",\"string\"]");
    assertThat(bucket.attributes().get("project").optional()).isTrue();
    assertThat(bucket.attributes().get("url").readOnly()).isTrue();
    assertThat(bucket.attributes().get("project_number").type().asText()).isEqualTo("number");
  }

  @Test
  void nestedBlocksWithNestingAndLimits() {
    Block bucket = schema.resource("google_storage_bucket");
    var rule = bucket.blocks().get("lifecycle_rule");
    assertThat(rule.nesting()).isEqualTo(Nesting.LIST);
    assertThat(rule.maxItems()).isZero();
    var action = rule.block().blocks().get("action");
    assertThat(action.nesting()).isEqualTo(Nesting.SET);
    assertThat(action.minItems()).isEqualTo(1);
    assertThat(action.maxItems()).isEqualTo(1);
    assertThat(action.block().attributes().get("type").required()).isTrue();
    assertThat(bucket.blocks().get("versioning").maxItems()).isEqualTo(1);
    assertThat(bucket.blocks().get("timeouts").nesting()).isEqualTo(Nesting.SINGLE);
    // A required block of a function: build_config is optional, its source is nested further.
    Block fn = schema.resource("google_cloudfunctions2_function");
    assertThat(fn.blocks().get("build_config").block().attributes()).containsKey("service_account");
  }

  @Test
  void computedListsOfObjects() {
    var conditions = schema.resource("google_cloud_run_v2_service").attributes().get("conditions");
    assertThat(conditions.readOnly()).isTrue();
    assertThat(conditions.type().get(0).asText()).isEqualTo("list");
    assertThat(conditions.type().get(1).get(0).asText()).isEqualTo("object");
    assertThat(conditions.type().get(1).get(1).has("message")).isTrue();
  }

  @Test
  void dataSourcesAndTheProvider() {
    Block project = schema.dataSource("google_project");
    assertThat(project.attributes().get("number").readOnly()).isTrue();
    assertThat(project.attributes().get("project_id").optional()).isTrue();
    assertThat(schema.provider.attributes()).containsKeys("project", "region", "zone", "credentials", "access_token")
        .doesNotContainKey("alias");
    assertThat(schema.provider.blocks()).containsKey("batching");
  }
}
