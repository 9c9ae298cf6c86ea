terraform {
  required_providers {
    google = { source = "hashicorp/google", version = "6.50.0" }
  }
}
resource "google_storage_bucket" "b" {
  name     = "b"
  location = "EU"
  url      = "gs://b"
}
