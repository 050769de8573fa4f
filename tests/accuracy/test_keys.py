"""The labelled corpus is an honest instrument: keys quote pages verbatim, no corpus page is in a knowledge base,
the reserved pages stay out, and the split is the fixed one."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
import yaml

PROJECT = Path(__file__).resolve().parents[2]
CORPUS = PROJECT.parent / "shared" / "corpus"
RESERVED = PROJECT.parent / "shared" / "reference" / "reserved-pages.txt"
KEYS = PROJECT / "bench" / "keys"
KNOWLEDGE_BASES = [PROJECT / "data", PROJECT / "examples" / "melatonin"]
DOMAINS = ["ketamine", "melatonin"]
sys.path.insert(0, str(PROJECT / "bench"))

from scoring import keys as key_files  # noqa: E402
from scoring.split import split_of  # noqa: E402


def corpus_url(page: Path) -> str:
    first = page.read_text(encoding="utf-8").split("\n", 1)[0]
    assert first.startswith("source: "), page
    return first.removeprefix("source: ").strip()


@pytest.mark.parametrize("domain", DOMAINS)
def test_every_page_has_a_key_whose_quotes_are_verbatim_and_unique(domain: str) -> None:
    pages, conflicts = key_files.load_domain(KEYS, CORPUS, domain)  # raises on a quote not found exactly once
    assert {key.page for key in pages} == set(split_of(CORPUS / domain))
    for key in pages:
        for span in [*key.wanted, *key.acceptable]:
            assert key.text[span.start : span.end] == span.quote
            assert len(span.quote) <= 200, f"{key.page}: keep quotes short: {span.quote[:40]}…"
    for pair in [*conflicts.conflicts, *conflicts.agree]:
        assert pair.a.page is not None and (pair.b.page is not None or pair.b.claim)


def test_the_keys_know_every_rule_of_kb() -> None:
    from kb.check.registry import RULES

    assert set(RULES) == key_files.RULES


def test_a_misquoted_key_is_refused(tmp_path: Path) -> None:
    page = next((CORPUS / "ketamine").glob("*.txt"))
    key = tmp_path / "ketamine" / f"{page.stem}.yaml"
    key.parent.mkdir()
    key.write_text(
        yaml.safe_dump(
            {
                "page": f"ketamine/{page.name}",
                "scope": "in",
                "wanted": [{"quote": "a sentence no page has", "rules": ["disallowed-claim"], "why": "test"}],
            }
        ),
        encoding="utf-8",
    )
    with pytest.raises(key_files.KeyError_, match="not found"):
        key_files.load_page_key(key, CORPUS)


def test_the_split_is_the_fixed_sixty_forty_rule() -> None:
    for domain in DOMAINS:
        split = split_of(CORPUS / domain)
        dev = sum(1 for part in split.values() if part == "dev")
        assert dev == round(len(split) * 0.6)
    evaluation = sorted(
        name[len("ketamine/") :][:2] for name, part in split_of(CORPUS / "ketamine").items() if part == "eval"
    )
    assert evaluation == ["05", "06", "07", "08", "13", "14", "15", "17", "19", "23"]


@pytest.mark.parametrize("data", KNOWLEDGE_BASES, ids=lambda p: p.name)
def test_no_corpus_page_is_registered_in_a_knowledge_base(data: Path) -> None:
    urls = {corpus_url(page).rstrip("/").lower() for page in CORPUS.glob("*/*.txt")}
    texts = [page.read_text(encoding="utf-8") for page in CORPUS.glob("*/*.txt")]
    pages = (yaml.safe_load((data / "pages.yaml").read_text(encoding="utf-8")) or {}).get("pages") or []
    for page in pages:
        assert str(page.get("url", "")).rstrip("/").lower() not in urls, page["id"]
    claims = yaml.safe_load((data / "claims.yaml").read_text(encoding="utf-8")).get("claims") or []
    for claim in claims:
        for mention in claim.get("mentions") or []:
            assert not any(mention["quote"] in text for text in texts), (claim["id"], mention["quote"])


def test_the_reserved_pages_and_botox_stay_out() -> None:
    reserved = {
        line.strip().rstrip("/").lower()
        for line in RESERVED.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }
    assert reserved
    for page in CORPUS.glob("*/*.txt"):
        assert corpus_url(page).rstrip("/").lower() not in reserved, page.name
    botox = re.compile(r"botox|onabotulinum", re.IGNORECASE)
    for folder in (KEYS, PROJECT / "examples"):
        for path in folder.rglob("*.y*ml"):
            assert not botox.search(path.read_text(encoding="utf-8")), path
