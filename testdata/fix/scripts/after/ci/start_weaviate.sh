#!/bin/bash
export WEAVIATE_VERSION=${1:-1.38.11}
docker run -d --name weaviate -p 8080:8080 \
  -e ENABLE_MODULES=text2vec-transformers \
  -e TRANSFORMERS_INFERENCE_API=http://t2v:8080 \
  "cr.weaviate.io/semitechnologies/weaviate:${WEAVIATE_VERSION}"
docker run -d --name t2v semitechnologies/transformers-inference:sentence-transformers-multi-qa-MiniLM-L6-cos-v1
podman pull docker.io/semitechnologies/weaviate:1.24.26
