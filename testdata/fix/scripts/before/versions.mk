WEAVIATE_VERSION := 1.26.5 # keep in step with CI
