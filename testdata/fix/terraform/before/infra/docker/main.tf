resource "docker_image" "weaviate" {
  name = "cr.weaviate.io/semitechnologies/weaviate:${var.weaviate_version}"
}

resource "docker_container" "weaviate" {
  name  = "weaviate"
  image = docker_image.weaviate.image_id
  env = [
    "ENABLE_MODULES=text2vec-transformers,backup-filesystem",
    "TRANSFORMERS_INFERENCE_API=http://t2v:8080",
  ]
}

resource "docker_container" "t2v" {
  name  = "t2v"
  image = "semitechnologies/transformers-inference:sentence-transformers-multi-qa-MiniLM-L6-cos-v1"
}

resource "kubernetes_stateful_set_v1" "weaviate" {
  metadata {
    name = "weaviate"
  }
  spec {
    replicas              = 3
    pod_management_policy = "Parallel"
    template {
      spec {
        container {
          name  = "weaviate"
          image = "semitechnologies/weaviate:1.28.4"
        }
      }
    }
  }
}

variable "weaviate_version" {
  default = "1.25.4"
}
