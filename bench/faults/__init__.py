"""bench_faults.py's parts: `work` (a generated knowledge base and the commands run on it, what is in .kb/),
`kill` (builds killed with SIGKILL and the commands after), `kill_report`, `concurrency` (readers beside a writer)
and `concurrency_report`."""
