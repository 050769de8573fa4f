"""The one JSON writer of kb's documents: two-space indent, a final newline, key order as built.

`ascii_only` keeps the escapes (`\u201c`) the check formats have always written, so their bytes do not change;
everything else writes UTF-8 text as it is."""

from __future__ import annotations

import json
from typing import Any


def json_text(value: Any, ascii_only: bool = False) -> str:
    return json.dumps(value, indent=2, ensure_ascii=ascii_only) + "\n"
