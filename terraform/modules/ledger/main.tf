resource "google_firestore_database" "this" {
  project                           = var.project
  name                              = var.name
  location_id                       = var.location
  type                              = "FIRESTORE_NATIVE"
  concurrency_mode                  = "OPTIMISTIC"
  point_in_time_recovery_enablement = "POINT_IN_TIME_RECOVERY_DISABLED"
  delete_protection_state           = var.deletion_protection ? "DELETE_PROTECTION_ENABLED" : "DELETE_PROTECTION_DISABLED"
  deletion_policy                   = "DELETE"
}

# Records expire through a TTL policy on their timestamp field; the field is exempt from
# single-field indexes, since an indexed, ever-increasing timestamp caps writes at ~500/s.
resource "google_firestore_field" "ttl" {
  project    = var.project
  database   = google_firestore_database.this.name
  collection = var.collection
  field      = var.ttl_field

  ttl_config {}

  index_config {}
}
