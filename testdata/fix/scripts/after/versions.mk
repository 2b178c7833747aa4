WEAVIATE_VERSION := 1.26.18 # keep in step with CI
