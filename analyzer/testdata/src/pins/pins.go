package pins

import (
	"context"
	"os"

	"github.com/testcontainers/testcontainers-go"
	tcweaviate "github.com/testcontainers/testcontainers-go/modules/weaviate"
)

var img = "cr.weaviate.io/semitechnologies/weaviate:1.28.2" // want `1.28.2 is not the latest patch of 1.28; use 1.28.16`

func all(ctx context.Context) {
	tcweaviate.Run(ctx, "semitechnologies/weaviate:1.26.3")                                    // want `use 1.26.18 .*\[WV1002`
	tcweaviate.Run(ctx, weaviateRepo+":"+weaviateVersion)                                      // the tag is in versions.go
	tcweaviate.Run(ctx, img)                                                                   // the tag is on the var
	tcweaviate.RunContainer(ctx, testcontainers.WithImage("semitechnologies/weaviate:latest")) // want `"latest" is a moving tag.*\[WV2001 floating-tag\]`
	tcweaviate.RunContainer(ctx)                                                               // want `RunContainer without testcontainers.WithImage runs the default image`
	tcweaviate.Run(ctx, "semitechnologies/weaviate:1.27")                                      // want `names a minor`
	tcweaviate.Run(ctx, "semitechnologies/weaviate:1.27.99")                                   // want `1.27.99 is not a Weaviate release.*\[WV2002 unknown-version\]`
	tcweaviate.Run(ctx, "semitechnologies/weaviate:1.39.0-rc.1")                               // pre-releases are fine in tests
	tcweaviate.Run(ctx, os.Getenv("WEAVIATE_IMAGE"))                                           // cannot be resolved: not checked
	tcweaviate.Run(ctx, "postgres:16")                                                         // not Weaviate
	testcontainers.Run(ctx, "cr.weaviate.io/semitechnologies/transformers-inference:1.0.0")
	_ = testcontainers.ContainerRequest{
		Image: "semitechnologies/weaviate:1.25.10", // want `use 1.25.34`
	}
}
