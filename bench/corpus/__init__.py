"""Deterministic generators of the benchmarks' data: the same size and seed give byte-identical files.

- `knowledge`: generated knowledge bases (`Generator`), with their word lists (`words`) and claim-like sentences
  (`wording`); `merged`: the bundled data/ merged with generated claims, for `kb check`.
- `pages`: the `kb check` page corpus (seed pages varied by `variation`, written as .txt, .md or .html).
- `statements`: the `kb contradictions` pages, worded from the phrasings in `topics`.

No module here imports kb: the data does not depend on the code it measures.
"""

from __future__ import annotations

from pathlib import Path

REAL_DATA = Path(__file__).resolve().parents[2] / "data"  # the project's bundled data/
