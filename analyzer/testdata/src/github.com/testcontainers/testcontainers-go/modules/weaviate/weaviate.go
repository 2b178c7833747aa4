// Package weaviate is a stub of testcontainers-go's modules/weaviate.
package weaviate

import (
	"context"

	"github.com/testcontainers/testcontainers-go"
)

type WeaviateContainer struct{}

func Run(ctx context.Context, img string, opts ...testcontainers.ContainerCustomizer) (*WeaviateContainer, error) {
	return nil, nil
}

// Deprecated: use Run.
func RunContainer(ctx context.Context, opts ...testcontainers.ContainerCustomizer) (*WeaviateContainer, error) {
	return nil, nil
}
