variable "project" {
  type        = string
  description = "The project of the topics."
}

variable "name" {
  type        = string
  description = "The topic that feeds the step (<graph>-<step>)."
}

variable "dead_letter_name" {
  type        = string
  description = "The dead-letter topic of the step, and its subscription (<graph>-<step>-dead-letter)."
}

variable "labels" {
  type        = map(string)
  description = "Labels on the topics and the dead-letter subscription."
  default     = {}
}

variable "message_retention_duration" {
  type        = string
  description = "How long the topic keeps messages for replay, 600s to 2678400s."
  default     = "604800s"
}
