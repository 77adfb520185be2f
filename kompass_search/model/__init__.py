"""The embedding model: the Embedder protocol and its engines (embed), the offline converter (convert, tokenizer)."""
