terraform {
  required_providers {
    google = { source = "hashicorp/google", version = "6.50.0" }
  }
}

provider "google" {
  project = "stand-in-project"
}

module "m" {
  source = "./modules/m"
}

output "topic" { value = module.m.topic_name }
