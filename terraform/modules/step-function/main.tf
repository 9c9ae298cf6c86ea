data "google_project" "this" {
  project_id = var.project
}

locals {
  member       = "serviceAccount:${google_service_account.this.email}"
  pubsub_agent = "serviceAccount:service-${data.google_project.this.number}@gcp-sa-pubsub.iam.gserviceaccount.com"
  reads        = { for a in var.read_access : "${a.bucket}/${a.prefix}" => a }
}

# The step's own identity: it runs the function and signs the push requests to it.
resource "google_service_account" "this" {
  project      = var.project
  account_id   = var.service_account_id
  display_name = "Wavegraph step ${var.name}"
}

resource "google_cloudfunctions2_function" "this" {
  project  = var.project
  name     = var.name
  location = var.region

  build_config {
    runtime     = var.runtime
    entry_point = var.entry_point
    source {
      storage_source {
        bucket = var.source_bucket
        object = var.source_object
      }
    }
  }

  service_config {
    available_memory                 = var.memory
    timeout_seconds                  = var.timeout_seconds
    max_instance_count               = var.max_instances
    min_instance_count               = 0
    max_instance_request_concurrency = 1
    ingress_settings                 = "ALLOW_INTERNAL_ONLY"
    all_traffic_on_latest_revision   = true
    service_account_email            = google_service_account.this.email
    environment_variables            = var.environment
  }
}

# Only the step's own identity may invoke it (no public invoker).
resource "google_cloud_run_v2_service_iam_member" "invoker" {
  project  = var.project
  location = var.region
  name     = google_cloudfunctions2_function.this.service_config[0].service
  role     = "roles/run.invoker"
  member   = local.member
}

# Direct push subscription: retries with backoff, dead-letters after max_delivery_attempts, and
# never expires (the default deletes a subscription after 31 idle days).
resource "google_pubsub_subscription" "this" {
  project                    = var.project
  name                       = var.subscription_name
  topic                      = var.topic_id
  ack_deadline_seconds       = min(600, var.timeout_seconds + 30)
  message_retention_duration = "604800s"

  expiration_policy {
    ttl = ""
  }

  # Capped at 60 s: a request waiting on a dead worker's claim (60 s lease, docs/adr/0009) comes
  # back within 60 s of the lease running out, so the item is taken over within 2 minutes.
  retry_policy {
    minimum_backoff = "10s"
    maximum_backoff = "60s"
  }

  dead_letter_policy {
    dead_letter_topic     = var.dead_letter_topic_id
    max_delivery_attempts = var.max_delivery_attempts
  }

  push_config {
    push_endpoint = google_cloudfunctions2_function.this.service_config[0].uri
    oidc_token {
      service_account_email = google_service_account.this.email
    }
  }
}

# Pub/Sub acknowledges dead-lettered messages as its service agent.
resource "google_pubsub_subscription_iam_member" "dead_letter_subscriber" {
  project      = var.project
  subscription = google_pubsub_subscription.this.name
  role         = "roles/pubsub.subscriber"
  member       = local.pubsub_agent
}

resource "google_storage_bucket_iam_member" "read" {
  for_each = local.reads
  bucket   = each.value.bucket
  role     = "roles/storage.objectViewer"
  member   = local.member

  dynamic "condition" {
    for_each = each.value.prefix == "" ? [] : [each.value.prefix]
    content {
      title      = "read-${replace(trimsuffix(condition.value, "/"), "/", "-")}"
      expression = "resource.name.startsWith(\"projects/_/buckets/${each.value.bucket}/objects/${condition.value}\")"
    }
  }
}

# objectUser, not objectCreator: a forced redo replaces outputs.
resource "google_storage_bucket_iam_member" "write" {
  bucket = var.write_access.bucket
  role   = "roles/storage.objectUser"
  member = local.member

  condition {
    title      = "write-own-outputs"
    expression = "resource.name.startsWith(\"projects/_/buckets/${var.write_access.bucket}/objects/${var.write_access.prefix}\")"
  }
}

resource "google_pubsub_topic_iam_member" "publish" {
  for_each = toset(var.publish_topic_ids)
  project  = var.project
  topic    = each.value
  role     = "roles/pubsub.publisher"
  member   = local.member
}

resource "google_project_iam_member" "ledger" {
  project = var.project
  role    = "roles/datastore.user"
  member  = local.member

  condition {
    title      = "ledger-only"
    expression = "resource.name.startsWith(\"projects/${var.project}/databases/${var.ledger_database}\")"
  }
}

resource "google_project_iam_member" "telemetry" {
  for_each = toset(["roles/logging.logWriter", "roles/monitoring.metricWriter"])
  project  = var.project
  role     = each.value
  member   = local.member
}
