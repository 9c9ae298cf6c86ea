variable "project" {
  type        = string
  description = "The project of the database."
}

variable "name" {
  type        = string
  description = "The Firestore database id (<graph>-ledger), 4-63 characters."
}

variable "location" {
  type        = string
  description = "The database location: a region, or a multi-region such as eur3."
}

variable "collection" {
  type        = string
  description = "The collection of ledger records."
  default     = "ledger"
}

variable "ttl_field" {
  type        = string
  description = "The timestamp field after which a record is deleted."
  default     = "expireAt"
}

variable "deletion_protection" {
  type        = bool
  description = "Refuse to delete the database."
  default     = true
}
