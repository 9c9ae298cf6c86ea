# Every API the graph uses, enabled before anything that needs it (the root module makes every
# other module depend on this one), so a first apply on a fresh project succeeds. Left enabled on
# destroy: other things in the project may use them.
resource "google_project_service" "this" {
  for_each           = toset(var.services)
  project            = var.project
  service            = each.value
  disable_on_destroy = false
}

# The functions' build identity. Since mid-2024 a new project builds with the Compute Engine
# default account, which no longer gets the roles a build needs; this account has just those:
# https://cloud.google.com/functions/docs/securing/build-custom-sa
resource "google_service_account" "build" {
  project      = var.project
  account_id   = var.build_service_account_id
  display_name = "Wavegraph function builds"
  depends_on   = [google_project_service.this]
}

# Build logs.
resource "google_project_iam_member" "build_logs" {
  project = var.project
  role    = "roles/logging.logWriter"
  member  = local.build_member
}

# The function's source archive, read from our own bucket only.
resource "google_storage_bucket_iam_member" "build_source" {
  bucket = var.source_bucket
  role   = "roles/storage.objectViewer"
  member = local.build_member
}

# The built images go to our own repository (build_config.docker_repository), so the writer role
# is granted on it, not on the project.
resource "google_artifact_registry_repository_iam_member" "build_images" {
  project    = var.project
  location   = var.region
  repository = google_artifact_registry_repository.this.name
  role       = "roles/artifactregistry.writer"
  member     = local.build_member
}

# The graph's images: the functions' builds and the batch job images scripts/deploy.sh pushes.
resource "google_artifact_registry_repository" "this" {
  project       = var.project
  location      = var.region
  repository_id = var.repository_id
  format        = "DOCKER"
  description   = "Wavegraph images: function builds and batch job images."
  depends_on    = [google_project_service.this]
}

locals {
  build_member = "serviceAccount:${google_service_account.build.email}"
}
