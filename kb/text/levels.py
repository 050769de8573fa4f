"""Plain constants shared by the write and read sides, importable without pydantic (the search path's budget)."""

from __future__ import annotations

# GRADE-aligned evidence levels, weakest first, and their order.
LEVELS = ("no-evidence", "very-low", "low", "moderate", "high")
LEVEL_RANK = {level: rank for rank, level in enumerate(LEVELS)}
STATUSES = ("approved", "use-with-caveat", "do-not-use")
STOPWORDS = frozenset(
    "a an and are as at be by for from has have in is it its of on or that the this to was were with".split()
)
