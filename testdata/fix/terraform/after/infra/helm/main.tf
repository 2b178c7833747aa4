resource "helm_release" "weaviate" {
  name       = "weaviate"
  repository = "https://weaviate.github.io/weaviate-helm"
  chart      = "weaviate"
  version    = var.chart_version
  namespace  = "weaviate"

  values = [file("${path.module}/values.yaml")]

  set {
    name  = "image.tag"
    value = var.weaviate_version
  }
}

# resource "helm_release" "old" {
#   repository = "https://weaviate.github.io/weaviate-helm"
#   chart      = "weaviate"
#   version    = "16.8.0"
# }
