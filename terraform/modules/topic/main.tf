data "google_project" "this" {
  project_id = var.project
}

locals {
  pubsub_agent = "serviceAccount:service-${data.google_project.this.number}@gcp-sa-pubsub.iam.gserviceaccount.com"
}

resource "google_pubsub_topic" "this" {
  project                    = var.project
  name                       = var.name
  labels                     = var.labels
  message_retention_duration = var.message_retention_duration
}

resource "google_pubsub_topic" "dead_letter" {
  project = var.project
  name    = var.dead_letter_name
  labels  = var.labels
}

# A dead-letter topic without a subscription loses what it receives: keep it for 31 days.
resource "google_pubsub_subscription" "dead_letter" {
  project                    = var.project
  name                       = var.dead_letter_name
  topic                      = google_pubsub_topic.dead_letter.id
  message_retention_duration = "2678400s"
  retain_acked_messages      = true
  labels                     = var.labels

  expiration_policy {
    ttl = ""
  }
}

# Pub/Sub forwards undeliverable messages as its service agent.
resource "google_pubsub_topic_iam_member" "dead_letter_publisher" {
  project = var.project
  topic   = google_pubsub_topic.dead_letter.name
  role    = "roles/pubsub.publisher"
  member  = local.pubsub_agent
}
