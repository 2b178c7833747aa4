resource "helm_release" "weaviate" {
  name       = "weaviate"
  repository = "https://weaviate.github.io/weaviate-helm"
  chart      = "weaviate"
  version    = "17.3.3"
  namespace  = "weaviate"

  values = [file("${path.module}/weaviate-values.yaml")]
}
