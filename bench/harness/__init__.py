"""The measuring harness the benchmarks share, used as `import harness as h`; its parts:

- `command`: the kb console script and its environment (the bytecode cache, PYTHONPATH passed through), a
  fingerprint of kb's source;
- `process`: processes run to their end, timed, or measured under a wrapper (wall, CPU, peak RSS);
- `timing`: timing an action or a phase, medians, percentiles, a least-squares line;
- `profiling`: cProfile text of a whole kb process or a profiler, `-X importtime` summaries;
- `report`: the log line, the machine line, load average, PASS/MISS, ruled headers, folder sizes;
- `cli`: the parser from a script's docstring, size lists, the `--keep` work folder and `--json`.

No kb import here (PROFILE_SCRIPT imports kb.cli.main in a child process).
"""

from __future__ import annotations

from .cli import numbers, parser, work_folder, write_json
from .command import (
    BYTECODE,
    PROJECT,
    Record,
    bytecode_note,
    clean_env,
    kb_command,
    kb_source,
    use_bytecode_cache,
)
from .process import TRACEBACK, WRAPPER, Ran, capture, measured, need, rss_mb, run, short, times
from .profiling import PROFILE_SCRIPT, importtime_summary, profile_process, profile_text, ranked, stats_lines
from .report import folder_size, load_average, log, machine, mark, ruled
from .timing import fit, median_ms, p90_ms, percentile_ms, stopwatch, timed

__all__ = [
    "BYTECODE",
    "PROFILE_SCRIPT",
    "PROJECT",
    "TRACEBACK",
    "WRAPPER",
    "Ran",
    "Record",
    "bytecode_note",
    "capture",
    "clean_env",
    "fit",
    "folder_size",
    "importtime_summary",
    "kb_command",
    "kb_source",
    "load_average",
    "log",
    "machine",
    "mark",
    "measured",
    "median_ms",
    "need",
    "numbers",
    "p90_ms",
    "parser",
    "percentile_ms",
    "profile_process",
    "profile_text",
    "ranked",
    "rss_mb",
    "ruled",
    "run",
    "short",
    "stats_lines",
    "stopwatch",
    "timed",
    "times",
    "use_bytecode_cache",
    "work_folder",
    "write_json",
]
