package clean

import (
	"context"

	"github.com/testcontainers/testcontainers-go/modules/weaviate"
)

const image = "cr.weaviate.io/semitechnologies/weaviate:1.28.16"

func up(ctx context.Context) { weaviate.Run(ctx, image) }
