"""bench_check.py's parts: `knowledge_bases` (generated, merged with data/, indexed once), `measure` (each
`kb check` under a wrapper, the warm-up, the ripgrep floor, --profile) and `report` (the table and the targets)."""
