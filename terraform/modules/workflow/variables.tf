variable "project" {
  type        = string
  description = "The project of the workflow."
}

variable "region" {
  type        = string
  description = "The region of the workflow."
}

variable "name" {
  type        = string
  description = "The workflow name, at most 64 characters."
}

variable "description" {
  type        = string
  description = "What the workflow does."
  default     = ""
}

variable "service_account_id" {
  type        = string
  description = "The account id of the workflow's own service account, 6-30 characters."
}

variable "source_contents" {
  type        = string
  description = "The workflow's YAML (at most 128 KB); pass file(...), which does not interpolate."
}

variable "publish_topics" {
  type        = map(string)
  description = "Topics the workflow publishes requests to, by step name (known at plan time)."
  default     = {}
}

variable "subscriptions" {
  type        = map(string)
  description = "Subscriptions the workflow pulls from, by step name (known at plan time)."
  default     = {}
}

variable "run_jobs" {
  type = map(object({
    name                  = string
    service_account_email = string
  }))
  description = "Cloud Run jobs the workflow runs with overrides, by step name (known at plan time), with the service account each job runs as."
  default     = {}
}

variable "ledger_database" {
  type        = string
  description = "The Firestore database of the ledger, which the workflow reads."
}

variable "read_access" {
  type = map(object({
    bucket = string
    prefix = string
  }))
  description = "Bucket prefixes the workflow lists and reads, by a name known at plan time (empty prefix: the whole bucket)."
  default     = {}
}

variable "write_access" {
  type = map(object({
    bucket = string
    prefix = string
  }))
  description = "Bucket prefixes the workflow writes (manifests), by a name known at plan time."
  default     = {}
}

variable "schedule" {
  type = object({
    cron     = string
    argument = string
  })
  description = "Start an execution on this cron schedule with this JSON argument; null for none."
  default     = null
}

variable "scheduler_service_account_id" {
  type        = string
  description = "With a schedule: the account id of the scheduler's own service account (the one allowed to start executions), 6-30 characters."
  default     = null
}

variable "deletion_protection" {
  type        = bool
  description = "Refuse to delete the workflow."
  default     = true
}
