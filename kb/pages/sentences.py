"""Sentence boundaries in visible text: blingfire's native splitter, then the repairs scraped pages need (titles and
abbreviations that are not sentence ends, fragments joined back)."""

from __future__ import annotations

import ctypes
import re
import sys
from itertools import accumulate
from pathlib import Path
from typing import Any

from kb.fastclass import dataclass


@dataclass(frozen=True, slots=True)
class Sentence:
    text: str
    start: int
    end: int
    line: int
    column: int
    end_line: int
    end_column: int


_TITLES = frozenset({"dr.", "mr.", "mrs.", "ms.", "prof.", "drs."})

_ABBREVS = frozenset({"e.g.", "i.e.", "vs.", "approx.", "cf.", "fig.", "figs.", "no.", "ca.", "incl.", "al.", "etc."})

_ALNUM = re.compile(r"[^\W_]")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans of visible text: blingfire, cut at block boundaries, trimmed, then over-splits repaired."""
    spans: list[tuple[int, int]] = []
    for a, b in _blingfire(text):
        while (k := text.find("\n", a, b)) >= 0:
            _keep(text, a, k, spans)
            a = k + 1
        _keep(text, a, b, spans)
    return _merge(text, spans)


def _keep(text: str, a: int, b: int, spans: list[tuple[int, int]]) -> None:
    piece = text[a:b]
    stripped = piece.strip()
    if stripped and _ALNUM.search(stripped):
        a += len(piece) - len(piece.lstrip())
        spans.append((a, a + len(stripped)))


def _merge(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for a, b in spans:
        if out and _joined(text, out[-1], (a, b)):
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def _joined(text: str, prev: tuple[int, int], nxt: tuple[int, int]) -> bool:
    """True when blingfire split where no sentence ends: "4.|56", "Dr.| Smith", "e.g.| aspirin"."""
    gap = text[prev[1] : nxt[0]]
    if "\n" in gap:
        return False
    if not gap:  # no space at all: inside a number or a token
        return True
    if text[prev[1] - 1] != ".":
        return False
    space = text.rfind(" ", prev[0], prev[1])
    word = text[space + 1 if space >= 0 else prev[0] : prev[1]].lstrip("([\"'").lower()
    if word in _TITLES:
        return True
    first = text[nxt[0]]
    return word in _ABBREVS and (first.islower() or first.isdigit() or first == "(")


def _blingfire(text: str) -> list[tuple[int, int]]:
    if not text.strip():
        return []
    data = text.encode("utf-8")
    fn = _sentence_fn()
    if fn is None:  # a blingfire without the native entry point we call: use its (slower) wrapper
        import blingfire  # type: ignore[import-untyped,unused-ignore]

        return [(int(a), int(b)) for a, b in blingfire.text_to_sentences_and_offsets(text)[1]]
    cap = len(data) * 2 + 16
    out = ctypes.create_string_buffer(cap)
    starts, ends = (ctypes.c_int32 * cap)(), (ctypes.c_int32 * cap)()
    args = (ctypes.byref(out), ctypes.byref(starts), ctypes.byref(ends), ctypes.c_int(cap))
    size = int(fn(ctypes.c_char_p(data), ctypes.c_int(len(data)), *args))
    if size <= 0 or size > cap:
        return [(0, len(text))]
    count = out.raw[:size].count(b"\n") + 1
    return _char_offsets(data, len(text), starts[:count], [e + 1 for e in ends[:count]])


def _char_offsets(data: bytes, length: int, starts: list[int], ends: list[int]) -> list[tuple[int, int]]:
    """blingfire reports UTF-8 byte offsets; convert them to character offsets in linear time (numpy only for a
    large page: importing it costs more than a small page takes to check)."""
    if len(data) == length:
        return list(zip(starts, ends, strict=True))
    if len(data) > LARGE_PAGE:
        import numpy as np

        lead = np.concatenate(([0], np.cumsum((np.frombuffer(data, dtype=np.uint8) & 0xC0) != 0x80)))
        return list(zip(lead[starts].tolist(), lead[ends].tolist(), strict=True))
    chars = [0, *accumulate((byte & 0xC0) != 0x80 for byte in data)]  # characters before each byte offset
    return [(chars[a], chars[b]) for a, b in zip(starts, ends, strict=True)]


LARGE_PAGE = 200_000  # bytes
_FN: list[Any] = []
_LIBRARIES = {"win32": "blingfiretokdll.dll", "darwin": "libblingfiretokdll.dylib"}  # by sys.platform


def _sentence_fn() -> Any:
    # The blingfire wrapper walks every byte in Python to convert offsets (most of its cost), and importing it
    # imports numpy (~0.2 s a process). Load its native library directly and call the same function with the same
    # arguments; fall back to the wrapper if the library is not where the wheel puts it.
    if not _FN:
        _FN.append(_native() or _wrapped())
    return _FN[0]


def _native() -> Any:
    import importlib.util

    spec = importlib.util.find_spec("blingfire")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations)))
    library = folder / _LIBRARIES.get(sys.platform, "libblingfiretokdll.so")
    try:
        return ctypes.CDLL(str(library)).TextToSentencesWithOffsets
    except (OSError, AttributeError):
        return None


def _wrapped() -> Any:
    import blingfire  # type: ignore[import-untyped,unused-ignore]

    return getattr(getattr(blingfire, "blingfire", None), "TextToSentencesWithOffsets", None)
