# State in Cloud Storage. Partial configuration: the bucket is given at init,
# terraform init -backend-config=bucket=<state bucket> (scripts/deploy.sh creates it when missing).
terraform {
  backend "gcs" {
    prefix = "wavegraph/catalog-example"
  }
}
