resource "google_storage_bucket" "this" {
  project                     = var.project
  name                        = var.name
  location                    = var.location
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = var.force_destroy
  labels                      = var.labels
}

data "google_storage_project_service_account" "this" {
  project = var.project
}

# Cloud Storage publishes notifications as its service agent. Keyed by step name: the topic ids
# are only known after apply, and for_each keys must be known at plan time.
resource "google_pubsub_topic_iam_member" "storage_publisher" {
  for_each = var.topics
  project  = var.project
  topic    = each.value
  role     = "roles/pubsub.publisher"
  member   = "serviceAccount:${data.google_storage_project_service_account.this.email_address}"
}

resource "google_storage_notification" "finalize" {
  for_each           = var.topics
  bucket             = google_storage_bucket.this.name
  topic              = each.value
  payload_format     = "JSON_API_V1"
  event_types        = ["OBJECT_FINALIZE"]
  object_name_prefix = var.object_name_prefix == "" ? null : var.object_name_prefix
  depends_on         = [google_pubsub_topic_iam_member.storage_publisher]
}
