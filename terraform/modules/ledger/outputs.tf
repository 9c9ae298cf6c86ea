output "name" {
  description = "The database id."
  value       = google_firestore_database.this.name
}

output "id" {
  description = "The database resource id, projects/<project>/databases/<name>."
  value       = google_firestore_database.this.id
}
