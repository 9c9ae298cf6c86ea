terraform {
  required_providers {
    google = { source = "hashicorp/google", version = "6.50.0" }
  }
}

provider "google" {
  project = "stand-in-project"
}

resource "google_pubsub_topic" "t" {
  name = "t"
}

output "topic_id" { value = google_pubsub_topic.t.id }
