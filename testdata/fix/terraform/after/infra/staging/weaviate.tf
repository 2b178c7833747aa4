resource "helm_release" "weaviate" {
  repository = "https://weaviate.github.io/weaviate-helm"
  chart      = "weaviate"
  version    = "17.6.1"
  values = [
    yamlencode({
      replicas = 1
      image = {
        tag = local.weaviate_tag
      }
    }),
    <<-EOT
    service:
      type: LoadBalancer
    EOT
  ]
}

locals {
  weaviate_tag = var.weaviate_tag
}

variable "weaviate_tag" {
  default = "1.32.1"
}
