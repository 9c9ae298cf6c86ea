# A hand-written root using the modules: one root step (downsample) fed by uploads to the input
# bucket. `wavegraph compile` writes the same shape for any graph (see its terraform/main.tf.json).
terraform {
  required_version = ">= 1.5.0"
  required_providers {
    google = {
      source  = "hashicorp/google"
      version = ">= 6.50.0, < 7.0.0"
    }
  }
}

variable "project" {
  type        = string
  description = "The project to deploy into."
}

variable "region" {
  type        = string
  description = "The region."
  default     = "europe-west1"
}

variable "source_bucket" {
  type        = string
  description = "The bucket of the functions' source archive."
}

variable "source_object" {
  type        = string
  description = "The source archive, named by its content hash."
}

provider "google" {
  project = var.project
  region  = var.region
}

module "ledger" {
  source   = "../../modules/ledger"
  project  = var.project
  name     = "catalog-ledger"
  location = var.region
}

module "topic_downsample" {
  source           = "../../modules/topic"
  project          = var.project
  name             = "catalog-downsample"
  dead_letter_name = "catalog-downsample-dead-letter"
}

module "input_bucket" {
  source    = "../../modules/bucket-trigger"
  project   = var.project
  name      = "${var.project}-catalog-input"
  location  = var.region
  topic_ids = [module.topic_downsample.id]
}

module "output_bucket" {
  source   = "../../modules/bucket-trigger"
  project  = var.project
  name     = "${var.project}-catalog-output"
  location = var.region
}

module "step_downsample" {
  source               = "../../modules/step-function"
  project              = var.project
  region               = var.region
  name                 = "catalog-downsample"
  service_account_id   = "wg-catalog-downsample"
  entry_point          = "io.wavegraph.functions.StepFunction"
  source_bucket        = var.source_bucket
  source_object        = var.source_object
  topic_id             = module.topic_downsample.id
  dead_letter_topic_id = module.topic_downsample.dead_letter_id
  subscription_name    = "catalog-downsample"
  read_access          = [{ bucket = module.input_bucket.name, prefix = "" }]
  write_access         = { bucket = module.output_bucket.name, prefix = "downsample/" }
  publish_topic_ids    = [module.topic_downsample.dead_letter_id]
  ledger_database      = module.ledger.name
  environment          = { WAVEGRAPH_CONFIG = file("${path.module}/downsample.json") }
}

output "input_bucket" {
  description = "Upload audio here."
  value       = module.input_bucket.url
}
