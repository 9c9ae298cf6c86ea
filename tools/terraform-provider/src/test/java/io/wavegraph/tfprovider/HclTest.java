package io.wavegraph.tfprovider;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The backend the check drops and the variables it fills in, found in HCL as Terraform would. */
class HclTest {
  @Test
  void dropsTheBackendBlockAndKeepsTheRest() {
    String tf = """
        terraform {
          required_version = ">= 1.5.0"
          # backend "local" { } in a comment is no block
          backend "gcs" {
            bucket = "b-${"x"}-}"
            prefix = "p/{x}"
          }
          required_providers { google = { source = "hashicorp/google" } }
        }
        resource "google_pubsub_topic" "backend" { name = "backend" }
        """;
    String out = Hcl.withoutBackend(tf);
    assertThat(out).doesNotContain("bucket =").doesNotContain("prefix =")
        .contains("required_version = \">= 1.5.0\"")
        .contains("required_providers { google = { source = \"hashicorp/google\" } }")
        .contains("resource \"google_pubsub_topic\" \"backend\" { name = \"backend\" }");
  }

  @Test
  void dropsOneLineAndCloudBlocks() {
    assertThat(Hcl.withoutBackend("terraform { backend \"gcs\" {} }\n")).isEqualTo("terraform { }\n");
    assertThat(Hcl.withoutBackend("terraform {\n  cloud {\n    organization = \"o\"\n  }\n}\n")).isEqualTo("terraform {\n}\n");
  }

  @Test
  void leavesABackendOutsideTheTerraformBlock() {
    String tf = "module \"m\" {\n  source = \"./m\"\n  backend \"x\" {}\n}\n";
    assertThat(Hcl.withoutBackend(tf)).isEqualTo(tf);
  }

  @Test
  void findsVariablesWithoutADefault() {
    String tf = """
        variable "project" {
          type = string
          description = <<-EOT
            default = 1
          EOT
        }
        variable "region" {
          type    = string
          default = "europe-west1"
        }
        variable "labels" { type = map(string) }
        variable "count" { default = 2 }
        """;
    assertThat(Hcl.requiredVariables(tf)).isEqualTo(Map.of("project", "string", "labels", "map(string)"));
  }
}
