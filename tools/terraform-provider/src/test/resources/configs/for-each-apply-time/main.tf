terraform {
  required_providers {
    google = { source = "hashicorp/google", version = "6.50.0" }
  }
}

provider "google" {
  project = "stand-in-project"
}

# Topic names known only after apply cannot be for_each keys.
resource "google_pubsub_topic" "t" {
  name = "t"
}

resource "google_pubsub_subscription" "s" {
  for_each = toset([google_pubsub_topic.t.id])
  name     = "s"
  topic    = each.key
}
