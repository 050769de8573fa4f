"""bench_index.py's parts: `measure` (the sizes: generate, first build, no-op refresh, kb search; the baselines),
`report` (the table) and `profiling` (--profile: search phases, cProfiles, -X importtime, the build's phases)."""
