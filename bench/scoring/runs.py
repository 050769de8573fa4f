"""Run kb check and kb contradictions on corpus pages, at the default configuration, and read their JSON."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Finding:
    page: str  # <domain>/<file name>
    start: int
    end: int
    rule: str
    severity: str
    message: str


@dataclass(frozen=True)
class Statement:
    page: str
    start: int
    end: int
    quote: str


@dataclass(frozen=True)
class Reported:
    """One reported conflict, as a pair of statements, or a statement against a source-backed claim."""

    subject: str
    a: Statement
    b: Statement | None
    claim: str | None
    reason: str


def kb_script() -> str:
    found = shutil.which("kb") or str(Path(sys.executable).parent / "kb")
    if not Path(found).is_file():
        sys.exit("accuracy: the `kb` console script is not installed (pip install -e .)")
    return found


def offset(text: str, line: int, column: int) -> int:
    lines = text.split("\n")
    return sum(len(part) + 1 for part in lines[: line - 1]) + column - 1


def page_name(corpus: Path, path: str) -> str:
    return Path(path).resolve().relative_to(corpus.resolve()).as_posix()


def _run(args: list[str], data: Path, work: Path) -> Any:
    # A scratch working folder: no kb.toml or [tool.kb] is found, so the default configuration is what is scored.
    command = [kb_script(), *args, "--data", str(data.resolve()), "--db", str(work / "index.sqlite"), "-f", "json"]
    done = subprocess.run(command, cwd=work, capture_output=True, text=True, check=False)
    if done.returncode not in (0, 1):
        sys.exit(f"accuracy: {' '.join(args[:1])} exited {done.returncode}: {done.stderr.strip()[:400]}")
    return json.loads(done.stdout)


def check(pages: list[Path], data: Path, corpus: Path) -> list[Finding]:
    with tempfile.TemporaryDirectory(prefix="kb-accuracy-") as scratch:
        raw = _run(["check", *map(str, pages)], data, Path(scratch))
    texts: dict[str, str] = {}
    findings = []
    for item in raw:
        name = page_name(corpus, item["path"])
        text = texts.setdefault(name, (corpus / name).read_text(encoding="utf-8"))
        start = offset(text, item["line"], item["column"])
        end = offset(text, item["end_line"], item["end_column"])
        findings.append(Finding(name, start, max(end, start + 1), item["rule"], item["severity"], item["message"]))
    return findings


def _statement(raw: dict[str, Any], corpus: Path, texts: dict[str, str]) -> Statement:
    name = page_name(corpus, raw["path"])
    text = texts.setdefault(name, (corpus / name).read_text(encoding="utf-8"))
    start = offset(text, raw["line"], raw["column"])
    end = offset(text, raw["end_line"], raw["end_column"])
    return Statement(name, start, max(end, start + 1), raw.get("quote", ""))


def contradictions(pages: list[Path], data: Path, corpus: Path) -> list[Reported]:
    """Every reported conflict expanded to statement pairs from two different pages (or page against source)."""
    with tempfile.TemporaryDirectory(prefix="kb-accuracy-") as scratch:
        raw = _run(["contradictions", *map(str, pages)], data, Path(scratch))
    texts: dict[str, str] = {}
    reported: list[Reported] = []
    for subject in raw.get("subjects", []):
        statements = {s["id"]: _statement(s, corpus, texts) for s in subject.get("statements", [])}
        members = {v["id"]: [statements[i] for i in v["statements"]] for v in subject.get("values", [])}
        for conflict in subject.get("conflicts", []):
            against = conflict.get("against", {})
            for a in members.get(conflict["value"], []):
                if "source" in against:
                    claim = against["source"].get("claim")
                    reported.append(Reported(subject["id"], a, None, claim, conflict.get("reason", "")))
                    continue
                for b in members.get(against.get("value"), []):
                    if a.page != b.page:
                        reported.append(Reported(subject["id"], a, b, None, conflict.get("reason", "")))
    return reported
