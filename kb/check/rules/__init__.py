"""The `kb check` rules, one module per rule id; `kb.check.registry` collects them."""
