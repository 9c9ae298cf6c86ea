locals {
  member = "serviceAccount:${google_service_account.this.email}"
  reads  = { for a in var.read_access : "${a.bucket}/${a.prefix}" => a }
  writes = { for a in var.write_access : "${a.bucket}/${a.prefix}" => a }
}

# The workflow's own identity, with only what its steps call.
resource "google_service_account" "this" {
  project      = var.project
  account_id   = var.service_account_id
  display_name = "Wavegraph workflow ${var.name}"
}

resource "google_workflows_workflow" "this" {
  project             = var.project
  name                = var.name
  region              = var.region
  description         = var.description
  service_account     = google_service_account.this.id
  source_contents     = var.source_contents
  call_log_level      = "LOG_ERRORS_ONLY"
  deletion_protection = var.deletion_protection
}

resource "google_pubsub_topic_iam_member" "publish" {
  for_each = toset(var.publish_topic_ids)
  project  = var.project
  topic    = each.value
  role     = "roles/pubsub.publisher"
  member   = local.member
}

resource "google_pubsub_subscription_iam_member" "pull" {
  for_each     = toset(var.subscription_ids)
  project      = var.project
  subscription = each.value
  role         = "roles/pubsub.subscriber"
  member       = local.member
}

# Running a job with a manifest override needs the overrides permission, on that job only.
resource "google_cloud_run_v2_job_iam_member" "run" {
  for_each = toset(var.run_job_names)
  project  = var.project
  location = var.region
  name     = each.value
  role     = "roles/run.jobsExecutorWithOverrides"
  member   = local.member
}

resource "google_project_iam_member" "ledger" {
  project = var.project
  role    = "roles/datastore.viewer"
  member  = local.member

  condition {
    title      = "ledger-only"
    expression = "resource.name.startsWith(\"projects/${var.project}/databases/${var.ledger_database}\")"
  }
}

resource "google_project_iam_member" "logs" {
  project = var.project
  role    = "roles/logging.logWriter"
  member  = local.member
}

resource "google_storage_bucket_iam_member" "read" {
  for_each = local.reads
  bucket   = each.value.bucket
  role     = "roles/storage.objectViewer"
  member   = local.member

  dynamic "condition" {
    for_each = each.value.prefix == "" ? [] : [each.value.prefix]
    content {
      title      = "read-prefix"
      expression = "resource.name.startsWith(\"projects/_/buckets/${each.value.bucket}/objects/${condition.value}\")"
    }
  }
}

resource "google_storage_bucket_iam_member" "write" {
  for_each = local.writes
  bucket   = each.value.bucket
  role     = "roles/storage.objectCreator"
  member   = local.member

  condition {
    title      = "write-prefix"
    expression = "resource.name.startsWith(\"projects/_/buckets/${each.value.bucket}/objects/${each.value.prefix}\")"
  }
}

# An optional schedule (batch steps): Cloud Scheduler starts an execution as the workflow's account.
# Workflows has no per-workflow IAM resource in the provider: grant the invoker role on the
# project, conditioned on this workflow.
resource "google_project_iam_member" "scheduler" {
  count   = var.schedule == null ? 0 : 1
  project = var.project
  role    = "roles/workflows.invoker"
  member  = local.member

  condition {
    title      = "this-workflow-only"
    expression = "resource.name == \"${google_workflows_workflow.this.id}\""
  }
}

resource "google_cloud_scheduler_job" "this" {
  count     = var.schedule == null ? 0 : 1
  project   = var.project
  region    = var.region
  name      = var.name
  schedule  = var.schedule.cron
  time_zone = "Etc/UTC"

  http_target {
    http_method = "POST"
    uri         = "https://workflowexecutions.googleapis.com/v1/${google_workflows_workflow.this.id}/executions"
    body        = base64encode(jsonencode({ argument = var.schedule.argument }))
    oauth_token {
      service_account_email = google_service_account.this.email
    }
  }
}
