terraform {
  required_providers {
    google = { source = "hashicorp/google", version = "6.50.0" }
  }
}

provider "google" {
  project = "stand-in-project"
}

resource "google_storage_bucket" "b" {
  name     = "b"
  location = "EU"
  colour   = "blue"
}
