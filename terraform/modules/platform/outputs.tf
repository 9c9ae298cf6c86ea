output "build_service_account_id" {
  description = "The build service account, projects/<project>/serviceAccounts/<email> (what build_config.service_account takes)."
  value       = google_service_account.build.id
}

output "repository_id" {
  description = "The repository id, projects/<project>/locations/<region>/repositories/<name> (what build_config.docker_repository takes)."
  value       = google_artifact_registry_repository.this.id
}

output "repository_url" {
  description = "Where images are pushed: <region>-docker.pkg.dev/<project>/<repository>."
  value       = "${var.region}-docker.pkg.dev/${var.project}/${google_artifact_registry_repository.this.repository_id}"
}
