"""The seed smoke test: with every curated mention removed, which curated verdicts does kb check find from text?"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

from scoring.runs import check


@dataclass(frozen=True)
class Smoke:
    found: list[str]  # non-accurate curated verdicts a finding overlaps
    missed: list[str]
    accurate_flagged: list[str]  # mentions marked accurate that a finding overlaps (must stay empty)


def run_smoke(data: Path) -> Smoke:
    claims = yaml.safe_load((data / "claims.yaml").read_text(encoding="utf-8"))
    pages = {p["id"]: p["file"] for p in yaml.safe_load((data / "pages.yaml").read_text(encoding="utf-8"))["pages"]}
    mentions = [(claim["id"], m) for claim in claims["claims"] for m in claim.get("mentions") or []]
    for claim in claims["claims"]:
        claim.pop("mentions", None)
    with tempfile.TemporaryDirectory(prefix="kb-smoke-") as scratch:
        bare = Path(scratch) / "data"
        shutil.copytree(data, bare)
        (bare / "claims.yaml").write_text(yaml.safe_dump(claims, allow_unicode=True, sort_keys=False), "utf-8")
        files = sorted({bare / file for file in pages.values()})
        findings = check(files, bare, bare)
    texts = {file: (data / file).read_text(encoding="utf-8") for file in set(pages.values())}
    found, missed, flagged = [], [], []
    for claim_id, mention in mentions:
        file = pages[mention["page"]]
        text = texts[file]
        start = text.find(mention["quote"])
        end = start + len(mention["quote"])
        hits = [f for f in findings if f.page == file and f.start < end and start < f.end]
        label = f"{mention['page']} {mention['verdict']} [{claim_id}] “{mention['quote'][:70]}”"
        if mention["verdict"] == "accurate":
            if hits:
                flagged.append(f"{label} <- {', '.join(sorted({f.rule for f in hits}))}")
        elif hits:
            found.append(label)
        else:
            missed.append(label)
    return Smoke(found, missed, flagged)
