"""No domain in the code: nothing in kb/ (modules and shipped data files alike) names the bundled knowledge base's
topic. Units, counted nouns, scope terms, lexicons and names come from a knowledge base."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
FIXED = ("ketamine", "esketamine", "migraine", "infusion", "headache")


def domain_words() -> set[str]:
    """The bundled domain's words: a fixed list, and the bundled knowledge base's treatment and scope terms (its
    counted nouns are left out: "attacks" and "sessions" are everyone's)."""
    claims = yaml.safe_load((ROOT / "data" / "claims.yaml").read_text(encoding="utf-8"))
    words = set(FIXED) | {fold for name in claims.get("treatment_names", []) for fold in [name.lower()]}
    words |= {term.lower() for term in claims.get("scope", {}).get("terms", []) if len(term) > 4}
    return words


def test_the_domain_words_cover_the_bundled_topic() -> None:
    assert {"ketamine", "migraine", "infusion"} <= domain_words()


def test_no_module_or_shipped_file_in_kb_names_the_bundled_domain() -> None:
    pattern = re.compile(rf"\b(?:{'|'.join(map(re.escape, sorted(domain_words())))})", re.IGNORECASE)
    found = []
    for path in sorted((ROOT / "kb").rglob("*")):
        if not path.is_file() or "__pycache__" in path.parts or path.suffix in (".pyc",):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), start=1):
            if pattern.search(line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()[:80]}")
    assert found == []
