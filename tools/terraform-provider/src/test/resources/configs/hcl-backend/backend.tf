# A second terraform block, in its own file, with a cloud block: Terraform refuses both backends
# together, so the check must drop each.
terraform { cloud { organization = "example" } }
