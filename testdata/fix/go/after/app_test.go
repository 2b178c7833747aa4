package app

import (
	"context"
	"testing"

	"github.com/testcontainers/testcontainers-go/modules/weaviate"
)

func TestSearch(t *testing.T) {
	_, _ = weaviate.Run(context.Background(), "semitechnologies/weaviate:"+WeaviateVersion)
	_, _ = /* é */ weaviate.Run(context.Background(), "semitechnologies/weaviate:1.36.23")
}
