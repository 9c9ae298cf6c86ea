variable "project" {
  type        = string
  description = "The project to deploy into."
}

variable "region" {
  type        = string
  description = "The region of the Artifact Registry repository."
}

variable "services" {
  type        = list(string)
  description = "The APIs to enable, like pubsub.googleapis.com."
}

variable "build_service_account_id" {
  type        = string
  description = "The account id of the functions' build service account, 6-30 characters."
}

variable "source_bucket" {
  type        = string
  description = "The bucket holding the functions' source archive, which the build reads."
}

variable "repository_id" {
  type        = string
  description = "The Artifact Registry (Docker) repository of the graph's images."
}
