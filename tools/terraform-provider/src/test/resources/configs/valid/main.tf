# A small valid root: a data source whose computed values feed a resource, a nested block, a
# for_each over plan-time keys and a local module.
terraform {
  required_providers {
    google = { source = "hashicorp/google", version = ">= 6.50.0, < 7.0.0" }
  }
}

variable "project" { type = string }

provider "google" {
  project = var.project
  region  = "europe-west1"
}

data "google_project" "this" {}

resource "google_service_account" "runner" {
  account_id = "runner"
}

resource "google_storage_bucket" "audio" {
  name     = "audio-${data.google_project.this.number}"
  location = "EU"
  lifecycle_rule {
    action { type = "Delete" }
    condition { age = 7 }
  }
}

module "topics" {
  source   = "./modules/topic"
  for_each = toset(["decoded", "resampled"])
  name     = each.key
}

resource "google_pubsub_topic_iam_member" "publisher" {
  for_each = module.topics
  topic    = each.value.id
  role     = "roles/pubsub.publisher"
  member   = "serviceAccount:${google_service_account.runner.email}"
}

output "runner" { value = google_service_account.runner.email }
