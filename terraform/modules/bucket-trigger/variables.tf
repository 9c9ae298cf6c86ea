variable "project" {
  type        = string
  description = "The project of the bucket."
}

variable "name" {
  type        = string
  description = "The bucket name (globally unique)."
}

variable "location" {
  type        = string
  description = "The bucket location."
}

variable "topics" {
  type        = map(string)
  description = "Topics that receive an OBJECT_FINALIZE notification for every new object (the roots' topics), by step name (known at plan time); empty for a plain bucket."
  default     = {}
}

variable "object_name_prefix" {
  type        = string
  description = "Only objects under this prefix notify; empty for all."
  default     = ""
}

variable "force_destroy" {
  type        = bool
  description = "Delete the objects when the bucket is destroyed."
  default     = false
}

variable "labels" {
  type        = map(string)
  description = "Labels on the bucket."
  default     = {}
}
