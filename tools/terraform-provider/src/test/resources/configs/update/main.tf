terraform {
  required_providers {
    google = { source = "hashicorp/google", version = "6.50.0" }
  }
}
provider "google" { project = "p" }
resource "google_pubsub_topic" "t" {
  name   = "t"
  labels = { env = "prod" }
}
