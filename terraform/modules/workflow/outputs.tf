output "name" {
  description = "The workflow name."
  value       = google_workflows_workflow.this.name
}

output "id" {
  description = "The workflow id, projects/<project>/locations/<region>/workflows/<name>."
  value       = google_workflows_workflow.this.id
}

output "service_account_email" {
  description = "The workflow's service account."
  value       = google_service_account.this.email
}
