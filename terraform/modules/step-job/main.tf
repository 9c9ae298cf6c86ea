data "google_project" "this" {
  project_id = var.project
}

locals {
  member       = "serviceAccount:${google_service_account.this.email}"
  pubsub_agent = "serviceAccount:service-${data.google_project.this.number}@gcp-sa-pubsub.iam.gserviceaccount.com"
  gpu_limits   = var.gpu == "" ? {} : { "nvidia.com/gpu" = "1" }
}

resource "google_service_account" "this" {
  project      = var.project
  account_id   = var.service_account_id
  display_name = "Wavegraph batch step ${var.name}"
}

# Started by the step's batch workflow with a manifest (WAVEGRAPH_MANIFEST) as an override.
resource "google_cloud_run_v2_job" "this" {
  project             = var.project
  name                = var.name
  location            = var.region
  deletion_protection = false

  template {
    # The workflow overrides task_count per execution with min(task_count, entries); each task takes
    # its shard of the manifest by CLOUD_RUN_TASK_INDEX / CLOUD_RUN_TASK_COUNT.
    task_count  = var.task_count
    parallelism = var.parallelism

    template {
      service_account               = google_service_account.this.email
      timeout                       = "${var.timeout_seconds}s"
      max_retries                   = var.max_retries
      gpu_zonal_redundancy_disabled = var.gpu == "" ? null : true

      containers {
        image = var.image

        dynamic "env" {
          for_each = var.environment
          content {
            name  = env.key
            value = env.value
          }
        }

        resources {
          limits = merge({ cpu = var.cpu, memory = var.memory }, local.gpu_limits)
        }
      }

      dynamic "node_selector" {
        for_each = var.gpu == "" ? [] : [var.gpu]
        content {
          accelerator = node_selector.value
        }
      }
    }
  }
}

# Requests for the step wait here until its batch workflow pulls them.
resource "google_pubsub_subscription" "this" {
  project                    = var.project
  name                       = var.subscription_name
  topic                      = var.topic_id
  ack_deadline_seconds       = 600
  message_retention_duration = "604800s"

  expiration_policy {
    ttl = ""
  }

  retry_policy {
    minimum_backoff = "10s"
    maximum_backoff = "600s"
  }

  dead_letter_policy {
    dead_letter_topic     = var.dead_letter_topic_id
    max_delivery_attempts = var.max_delivery_attempts
  }
}

resource "google_pubsub_subscription_iam_member" "dead_letter_subscriber" {
  project      = var.project
  subscription = google_pubsub_subscription.this.name
  role         = "roles/pubsub.subscriber"
  member       = local.pubsub_agent
}

resource "google_storage_bucket_iam_member" "read" {
  for_each = var.read_access
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

# Keyed by step name (known at plan time); the topic ids are only known after apply.
resource "google_pubsub_topic_iam_member" "publish" {
  for_each = var.publish_topics
  project  = var.project
  topic    = each.value
  role     = "roles/pubsub.publisher"
  member   = local.member
}

resource "google_project_iam_member" "ledger" {
  project = var.project
  role    = "roles/datastore.user"
  member  = local.member

  # The database itself or what is under it; a bare startsWith would also match
  # "<name>2" and any other database whose name starts with this one.
  condition {
    title      = "ledger-only"
    expression = "resource.name == \"projects/${var.project}/databases/${var.ledger_database}\" || resource.name.startsWith(\"projects/${var.project}/databases/${var.ledger_database}/\")"
  }
}

resource "google_project_iam_member" "telemetry" {
  for_each = toset(["roles/logging.logWriter", "roles/monitoring.metricWriter"])
  project  = var.project
  role     = each.value
  member   = local.member
}
