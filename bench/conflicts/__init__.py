"""bench_contradictions.py's parts. In the child processes (kb imported only there): `synthesis` (statements read
by the engine from the generated pages), `compare` (stage 1, find_conflicts timed, and the all-pairs baseline) and
`reading` (stage 2, the pages read from disk). In the parent: `stages` (the data snapshot, the children, `kb
contradictions` end to end) and `report`."""
