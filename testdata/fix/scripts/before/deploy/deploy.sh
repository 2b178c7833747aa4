#!/usr/bin/env bash
set -euo pipefail
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "${SCRIPT_DIR}/versions.env"

helm repo add weaviate https://weaviate.github.io/weaviate-helm
helm repo update
helm upgrade --install weaviate weaviate/weaviate \
  --namespace weaviate --create-namespace \
  --version "${CHART_VERSION}" \
  -f "${SCRIPT_DIR}/values-prod.yaml" \
  --wait

# helm upgrade --install old weaviate/weaviate --set image.tag=1.19.0
echo "to run locally: docker run semitechnologies/weaviate:latest"
pip install "weaviate-client==${WEAVIATE_CLIENT_VERSION}"
kubectl apply -f - <<YAML
apiVersion: v1
kind: Pod
metadata: {name: tmp}
spec:
  containers:
    - name: w
      image: semitechnologies/weaviate:1.20.0
YAML
