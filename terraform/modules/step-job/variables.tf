variable "project" {
  type        = string
  description = "The project of the job."
}

variable "region" {
  type        = string
  description = "The region of the job."
}

variable "name" {
  type        = string
  description = "The job name (<graph>-<step>), at most 49 characters."
}

variable "service_account_id" {
  type        = string
  description = "The account id of the step's own service account, 6-30 characters."
}

variable "image" {
  type        = string
  description = "The container image the job runs."
}

variable "gpu" {
  type        = string
  description = "The GPU type (nvidia-l4), or empty for none."
  default     = ""
}

variable "cpu" {
  type        = string
  description = "vCPUs per task: 1, 2, 4, 6 or 8; an L4 needs at least 4."
  default     = "1"
}

variable "memory" {
  type        = string
  description = "Memory per task, like 512Mi or 16Gi; an L4 needs at least 16Gi."
  default     = "1Gi"
}

variable "timeout_seconds" {
  type        = number
  description = "The task timeout; at most 3600 with a GPU."
  default     = 600
}

variable "task_count" {
  type        = number
  description = "Tasks per execution, 1-10000 (the graph's batch.tasks); the workflow runs at most one per manifest entry."
  default     = 1

  validation {
    condition     = var.task_count >= 1 && var.task_count <= 10000
    error_message = "task_count must be between 1 and 10000."
  }
}

variable "parallelism" {
  type        = number
  description = "Tasks that may run at once (GPU quota bounds it in practice)."
  default     = 1
}

variable "max_retries" {
  type        = number
  description = "Retries of a failed task."
  default     = 1
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
  description = "The pull subscription the batch workflow drains."
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
  description = "What the step may read: its parents' output prefixes, or the input bucket for a root (empty prefix: the whole bucket), and its manifests prefix."
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
