"""The one writer of the YAML knowledge base: every `kb add` and `kb review` change goes through `transaction.edit`."""
