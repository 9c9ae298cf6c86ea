package io.wavegraph.tfprovider;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The offline check rejects what a real deploy would reject: each configuration under
 * src/test/resources/configs has one defect, and Terraform's own message names it.
 */
class CheckBitesTest {
  private static StandInTerraform terraform;

  @BeforeAll
  static void terraform() {
    terraform = TerraformSkips.terraformOrSkip("CheckBitesTest");
  }

  private static StandInTerraform.Result check(String config) throws Exception {
    return check(config, Map.of());
  }

  private static StandInTerraform.Result check(String config, Map<String, String> vars) throws Exception {
    StandInTerraform.Result r = terraform.check(TerraformSkips.config(config), vars);
    System.out.println(r.transcript());
    return r;
  }

  /** The transcript with Terraform's line wrapping undone. */
  private static String text(StandInTerraform.Result r) {
    return r.transcript().replaceAll("\\s+", " ");
  }

  @Test
  void validConfigurationPlans() throws Exception {
    StandInTerraform.Result r = check("valid", Map.of("project", "demo-project"));
    assertThat(r.ok()).as(r.transcript()).isTrue();
    // 1 service account, 1 bucket, 2 topics, 2 IAM members; the data source is read, not added.
    assertThat(r.planSummary()).contains("Plan: 6 to add, 0 to change, 0 to destroy.");
    assertThat(text(r))
        .contains("name = \"audio-" + Planner.PROJECT_NUMBER + "\"")
        .contains("email = (known after apply)")
        .contains("project = \"demo-project\"");
  }

  @Test
  void backendWrittenInHclIsDroppedAndRequiredVariablesGetValues() throws Exception {
    // No -var given: project is declared in HCL without a default. The gcs backend (in main.tf) and
    // the cloud block (in backend.tf) would make plan refuse the uninitialised backend.
    StandInTerraform.Result r = check("hcl-backend");
    assertThat(r.ok()).as(r.transcript()).isTrue();
    assertThat(r.planSummary()).contains("Plan: 1 to add, 0 to change, 0 to destroy.");
    assertThat(text(r)).contains("project = \"stand-in-project\"");
  }

  @Test
  void invalidTypeSpecification() throws Exception {
    StandInTerraform.Result r = check("invalid-type");
    assertThat(r.ok()).isFalse();
    assertThat(text(r)).contains("Invalid type specification");
  }

  @Test
  void forEachOverAnApplyTimeAttribute() throws Exception {
    StandInTerraform.Result r = check("for-each-apply-time");
    assertThat(r.ok()).isFalse();
    assertThat(text(r)).contains("Invalid for_each argument");
    // validate passes: only the plan, with the provider's unknown id, can tell.
    assertThat(r.steps()).hasSize(3);
  }

  @Test
  void unknownAttribute() throws Exception {
    StandInTerraform.Result r = check("unknown-attribute");
    assertThat(r.ok()).isFalse();
    assertThat(text(r)).contains("Unsupported argument").contains("An argument named \"colour\" is not expected here.");
  }

  @Test
  void missingRequiredAttribute() throws Exception {
    StandInTerraform.Result r = check("missing-required");
    assertThat(r.ok()).isFalse();
    assertThat(text(r)).contains("Missing required argument").contains("\"location\" is required");
  }

  @Test
  void blockUsedAsAttribute() throws Exception {
    StandInTerraform.Result r = check("block-as-attribute");
    assertThat(r.ok()).isFalse();
    assertThat(text(r)).contains("Unsupported argument")
        .contains("Did you mean to define a block of type \"versioning\"?");
  }

  @Test
  void referenceToAMissingModuleOutput() throws Exception {
    StandInTerraform.Result r = check("missing-module-output");
    assertThat(r.ok()).isFalse();
    assertThat(text(r)).contains("Unsupported attribute").contains("topic_name");
  }

  @Test
  void valueForAReadOnlyAttribute() throws Exception {
    StandInTerraform.Result r = check("read-only-attribute");
    assertThat(r.ok()).isFalse();
    assertThat(text(r)).contains("Value for unconfigurable attribute").contains("Can't configure a value for \"url\"");
  }

  @Test
  void plansUpdatesAndDestroysAgainstAState() throws Exception {
    // The state holds topic t with env=dev and a topic the configuration no longer has.
    StandInTerraform.Result r = terraform.check(TerraformSkips.config("update"), Map.of(),
        TerraformSkips.config("../states/update.tfstate"));
    System.out.println(r.transcript());
    assertThat(r.ok()).as(r.transcript()).isTrue();
    assertThat(r.planSummary()).contains("Plan: 0 to add, 1 to change, 1 to destroy.");
    assertThat(text(r)).contains("~ \"env\" = \"dev\" -> \"prod\"").contains("google_pubsub_topic.gone will be destroyed");
  }
}
