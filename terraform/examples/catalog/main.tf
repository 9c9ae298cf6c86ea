# A hand-written root using the modules: one root step (downsample) fed by uploads to the input
# bucket, the graph in graph.yaml. `wavegraph compile` writes the same shape for any graph (see its
# terraform/main.tf.json). The state backend is in backend.tf.
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

# APIs, the functions' build account and the image repository, before everything else.
module "platform" {
  source                   = "../../modules/platform"
  project                  = var.project
  region                   = var.region
  build_service_account_id = "wgb-catalog-build"
  source_bucket            = var.source_bucket
  repository_id            = "catalog-images"
  services = [
    "artifactregistry.googleapis.com", "cloudbuild.googleapis.com", "cloudfunctions.googleapis.com",
    "cloudresourcemanager.googleapis.com", "firestore.googleapis.com", "iam.googleapis.com",
    "logging.googleapis.com", "pubsub.googleapis.com", "run.googleapis.com", "storage.googleapis.com",
  ]
}

module "ledger" {
  source     = "../../modules/ledger"
  depends_on = [module.platform]
  project    = var.project
  name       = "catalog-ledger"
  location   = var.region
}

module "topic_downsample" {
  source           = "../../modules/topic"
  depends_on       = [module.platform]
  project          = var.project
  name             = "catalog-downsample"
  dead_letter_name = "catalog-downsample-dead-letter"
}

module "input_bucket" {
  source   = "../../modules/bucket-trigger"
  project  = var.project
  name     = "${var.project}-catalog-input"
  location = var.region
  # Keyed by step name: for_each keys must be known at plan time, topic ids are not.
  topics     = { downsample = module.topic_downsample.id }
  depends_on = [module.platform]
}

module "output_bucket" {
  source     = "../../modules/bucket-trigger"
  project    = var.project
  name       = "${var.project}-catalog-output"
  location   = var.region
  depends_on = [module.platform]
}

module "step_downsample" {
  source                = "../../modules/step-function"
  project               = var.project
  region                = var.region
  name                  = "catalog-downsample"
  service_account_id    = "wg-catalog-downsample"
  entry_point           = "io.wavegraph.functions.StepFunction"
  source_bucket         = var.source_bucket
  source_object         = var.source_object
  build_service_account = module.platform.build_service_account_id
  docker_repository     = module.platform.repository_id
  topic_id              = module.topic_downsample.id
  dead_letter_topic_id  = module.topic_downsample.dead_letter_id
  subscription_name     = "catalog-downsample"
  read_access           = { input = { bucket = module.input_bucket.name, prefix = "" } }
  write_access          = { bucket = module.output_bucket.name, prefix = "downsample/" }
  publish_topics        = { _dead_letter = module.topic_downsample.dead_letter_id }
  ledger_database       = module.ledger.name
  # What `wavegraph compile graph.yaml` writes for the step, with the buckets this root names.
  environment = {
    WAVEGRAPH_CONFIG = templatefile("${path.module}/downsample.json.tftpl", {
      project       = var.project
      region        = var.region
      input_bucket  = module.input_bucket.name
      output_bucket = module.output_bucket.name
    })
  }
  depends_on = [module.platform]
}

output "input_bucket" {
  description = "Upload audio here."
  value       = module.input_bucket.url
}
