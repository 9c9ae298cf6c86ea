variable "project" {
  type        = string
  description = "The project of the function."
}

variable "region" {
  type        = string
  description = "The region of the function."
}

variable "name" {
  type        = string
  description = "The function name (<graph>-<step>), at most 49 characters."
}

variable "service_account_id" {
  type        = string
  description = "The account id of the step's own service account, 6-30 characters."
}

variable "entry_point" {
  type        = string
  description = "The Java class the function runs."
}

variable "runtime" {
  type        = string
  description = "The Cloud Run functions runtime."
  default     = "java17"
}

variable "source_bucket" {
  type        = string
  description = "The bucket of the source archive."
}

variable "source_object" {
  type        = string
  description = "The source archive, named by its content hash."
}

variable "memory" {
  type        = string
  description = "Memory per instance, like 512Mi or 2Gi."
  default     = "1Gi"
}

variable "timeout_seconds" {
  type        = number
  description = "The step's timeout, at most 540."
  default     = 300
}

variable "max_instances" {
  type        = number
  description = "The most instances at once."
  default     = 100
}

variable "environment" {
  type        = map(string)
  description = "Environment variables; WAVEGRAPH_CONFIG holds the step's configuration (docs/function-config.md)."
  default     = {}
}

variable "topic_id" {
  type        = string
  description = "The topic that feeds the step."
}

variable "dead_letter_topic_id" {
  type        = string
  description = "Where undeliverable requests go."
}

variable "subscription_name" {
  type        = string
  description = "The push subscription's name."
}

variable "max_delivery_attempts" {
  type        = number
  description = "Deliveries before Pub/Sub dead-letters a request itself, 5-100: a backstop; the step pipeline dead-letters after the step's retries, counted in the ledger."
  default     = 100
}

variable "read_access" {
  type = list(object({
    bucket = string
    prefix = string
  }))
  description = "What the step may read: its parents' output prefixes, or the input bucket for a root (empty prefix: the whole bucket)."
  default     = []
}

variable "write_access" {
  type = object({
    bucket = string
    prefix = string
  })
  description = "Where the step writes its outputs (its own prefix)."
}

variable "publish_topic_ids" {
  type        = list(string)
  description = "Topics the step may publish to: its children's and parents' topics and its dead-letter topic."
  default     = []
}

variable "ledger_database" {
  type        = string
  description = "The Firestore database of the ledger."
}
