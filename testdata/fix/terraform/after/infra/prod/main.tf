resource "helm_release" "weaviate" {
  repository = "https://weaviate.github.io/weaviate-helm"
  chart      = "weaviate"
  version    = var.chart_version
}

resource "helm_release" "custom" {
  chart = "../../charts/weaviate"
}

variable "chart_version" {
  description = "set by the pipeline"
  type        = string
}
