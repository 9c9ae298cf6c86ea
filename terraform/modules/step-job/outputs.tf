output "job_name" {
  description = "The Cloud Run job name."
  value       = google_cloud_run_v2_job.this.name
}

output "job_id" {
  description = "The job id, projects/<project>/locations/<region>/jobs/<name>."
  value       = google_cloud_run_v2_job.this.id
}

output "service_account_email" {
  description = "The step's service account."
  value       = google_service_account.this.email
}

output "subscription_id" {
  description = "The pull subscription of the step's requests."
  value       = google_pubsub_subscription.this.id
}
