output "id" {
  description = "The topic id, projects/<project>/topics/<name>."
  value       = google_pubsub_topic.this.id
}

output "name" {
  description = "The topic name."
  value       = google_pubsub_topic.this.name
}

output "dead_letter_id" {
  description = "The dead-letter topic id."
  value       = google_pubsub_topic.dead_letter.id
}

output "dead_letter_name" {
  description = "The dead-letter topic name."
  value       = google_pubsub_topic.dead_letter.name
}
