weaviate_tag = "1.32.3"
