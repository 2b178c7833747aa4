variable "chart_version" {
  type    = string
  default = "17.4.5"
}

variable "weaviate_version" {
  type    = string
  default = "1.31.22"
}
