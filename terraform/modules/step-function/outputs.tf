output "function_name" {
  description = "The function name."
  value       = google_cloudfunctions2_function.this.name
}

output "uri" {
  description = "The function's URI (internal ingress only)."
  value       = google_cloudfunctions2_function.this.service_config[0].uri
}

output "service_account_email" {
  description = "The step's service account."
  value       = google_service_account.this.email
}

output "subscription_id" {
  description = "The push subscription that feeds the function."
  value       = google_pubsub_subscription.this.id
}
