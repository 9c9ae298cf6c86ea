# A root with its backend written in HCL, inside the terraform block with other settings, and a
# required variable declared in HCL: the check drops the backend and gives the variable a value.
terraform {
  required_providers {
    google = { source = "hashicorp/google", version = ">= 6.50.0, < 7.0.0" } # "}" in a comment
  }
  /* a brace { in a comment */
  backend "gcs" {
    bucket = "state-${"bucket"}" # an interpolation holding a string
    prefix = "wavegraph/{not-a-block}"
  }
}

variable "project" {
  type        = string
  description = <<-EOT
    A heredoc with a brace { and a "default = 1" line:
    default = 1
  EOT
}

provider "google" {
  project = var.project
  region  = "europe-west1"
}

resource "google_pubsub_topic" "t" {
  name = "t"
}
