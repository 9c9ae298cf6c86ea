terraform {
  required_providers {
    google = { source = "hashicorp/google" }
  }
}

variable "name" { type = string }

resource "google_pubsub_topic" "this" {
  name = var.name
}

output "id" { value = google_pubsub_topic.this.id }
