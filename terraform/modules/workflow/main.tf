locals {
  member = "serviceAccount:${google_service_account.this.email}"
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

# Keyed by step name (known at plan time); the topic ids are only known after apply.
resource "google_pubsub_topic_iam_member" "publish" {
  for_each = var.publish_topics
  project  = var.project
  topic    = each.value
  role     = "roles/pubsub.publisher"
  member   = local.member
}

resource "google_pubsub_subscription_iam_member" "pull" {
  for_each     = var.subscriptions
  project      = var.project
  subscription = each.value
  role         = "roles/pubsub.subscriber"
  member       = local.member
}

# Running a job with overrides (the manifest, the task count) is what run.developer on the job grants:
# https://cloud.google.com/run/docs/execute/jobs#required-roles
resource "google_cloud_run_v2_job_iam_member" "run" {
  for_each = var.run_jobs
  project  = var.project
  location = var.region
  name     = each.value.name
  role     = "roles/run.developer"
  member   = local.member
}

# The connector waits on the run's long-running operation (run.operations.get), which lives on
# the project's location, not on the job: run.viewer is the read-only role that has it.
# https://cloud.google.com/iam/docs/roles-permissions/run
resource "google_project_iam_member" "run_operations" {
  count   = length(var.run_jobs) == 0 ? 0 : 1
  project = var.project
  role    = "roles/run.viewer"
  member  = local.member
}

# Starting an execution that runs as the job's account needs actAs on that account:
# https://cloud.google.com/run/docs/configuring/jobs/service-identity
resource "google_service_account_iam_member" "act_as_job" {
  for_each           = var.run_jobs
  service_account_id = "projects/${var.project}/serviceAccounts/${each.value.service_account_email}"
  role               = "roles/iam.serviceAccountUser"
  member             = local.member
}

resource "google_project_iam_member" "ledger" {
  project = var.project
  role    = "roles/datastore.viewer"
  member  = local.member

  # The database itself or what is under it; a bare startsWith would also match
  # "<name>2" and any other database whose name starts with this one.
  condition {
    title      = "ledger-only"
    expression = "resource.name == \"projects/${var.project}/databases/${var.ledger_database}\" || resource.name.startsWith(\"projects/${var.project}/databases/${var.ledger_database}/\")"
  }
}

resource "google_project_iam_member" "logs" {
  project = var.project
  role    = "roles/logging.logWriter"
  member  = local.member
}

resource "google_storage_bucket_iam_member" "read" {
  for_each = var.read_access
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
  for_each = var.write_access
  bucket   = each.value.bucket
  role     = "roles/storage.objectCreator"
  member   = local.member

  condition {
    title      = "write-prefix"
    expression = "resource.name.startsWith(\"projects/_/buckets/${each.value.bucket}/objects/${each.value.prefix}\")"
  }
}

# An optional schedule (batch steps): Cloud Scheduler starts an execution as the scheduler's own
# account. Workflows roles are granted on the project only (no per-workflow IAM policy), and
# Workflows is not among the services whose resource.name IAM Conditions evaluate, so a
# condition on this workflow would deny every call (403). The account is this schedule's alone and
# can do nothing but start executions, so the unconditional grant is the narrow one.
# https://cloud.google.com/workflows/docs/access-control
# https://cloud.google.com/iam/docs/conditions-resource-attributes
resource "google_service_account" "scheduler" {
  count        = var.schedule == null ? 0 : 1
  project      = var.project
  account_id   = var.scheduler_service_account_id
  display_name = "Wavegraph schedule of ${var.name}"
}

resource "google_project_iam_member" "scheduler" {
  count   = var.schedule == null ? 0 : 1
  project = var.project
  role    = "roles/workflows.invoker"
  member  = "serviceAccount:${google_service_account.scheduler[0].email}"
}

resource "google_cloud_scheduler_job" "this" {
  count      = var.schedule == null ? 0 : 1
  depends_on = [google_project_iam_member.scheduler]
  project    = var.project
  region     = var.region
  name       = var.name
  schedule   = var.schedule.cron
  time_zone  = "Etc/UTC"

  http_target {
    http_method = "POST"
    uri         = "https://workflowexecutions.googleapis.com/v1/${google_workflows_workflow.this.id}/executions"
    body        = base64encode(jsonencode({ argument = var.schedule.argument }))
    oauth_token {
      service_account_email = google_service_account.scheduler[0].email
    }
  }
}
