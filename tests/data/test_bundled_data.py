"""The bundled knowledge base: integrity of every quote and identifier, and the issue's acceptance checks."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from kb.cli.app import app
from kb.data.dataset import load
from kb.data.validate import check
from kb.text.normalise import normalise

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
SHARED = ROOT.parent / "shared"
REFERENCE = SHARED / "reference" / "sources.md"
needs_shared = pytest.mark.skipif(not REFERENCE.is_file(), reason="../shared (the reference) is not beside the repo")


def _yaml(name: str) -> dict:  # type: ignore[type-arg]
    return yaml.safe_load((DATA / name).read_text(encoding="utf-8"))


CLAIMS = _yaml("claims.yaml")["claims"]
SOURCES = _yaml("sources.yaml")["sources"]
PAGES = _yaml("pages.yaml")["pages"]
MENTIONS = [(claim["id"], mention) for claim in CLAIMS for mention in claim.get("mentions", [])]


def _page_text(page_id: str) -> str:
    page = next(page for page in PAGES if page["id"] == page_id)
    return (DATA / page["file"]).read_text(encoding="utf-8")


@pytest.mark.parametrize(("claim_id", "mention"), MENTIONS, ids=[f"{c}:{m['page']}" for c, m in MENTIONS])
def test_every_page_quote_occurs_verbatim_in_its_page(claim_id: str, mention: dict) -> None:  # type: ignore[type-arg]
    assert mention["quote"] in _page_text(mention["page"]), f"{claim_id}: quote not in {mention['page']}"


@needs_shared
@pytest.mark.parametrize("page", PAGES, ids=[page["id"] for page in PAGES])
def test_pages_are_byte_for_byte_copies_of_the_seeds(page: dict) -> None:  # type: ignore[type-arg]
    seed = SHARED / "seeds" / page["seed_file"]
    assert (DATA / page["file"]).read_bytes() == seed.read_bytes()


@needs_shared
def test_every_finding_quote_is_verbatim_from_the_reference() -> None:
    reference = normalise(REFERENCE.read_text(encoding="utf-8"))
    missing = [
        f"{source['id']}/{finding['id']}"
        for source in SOURCES
        for finding in source.get("findings", [])
        if normalise(finding["quote"]) not in reference
    ]
    assert missing == []


@needs_shared
def test_every_claim_source_quote_is_verbatim_from_the_reference() -> None:
    reference = normalise(REFERENCE.read_text(encoding="utf-8"))
    missing = [
        f"{claim['id']}->{link['source']}"
        for claim in CLAIMS
        for link in claim.get("sources", [])
        if link.get("quote") and normalise(link["quote"]) not in reference
    ]
    assert missing == []


@needs_shared
def test_every_identifier_in_data_is_one_the_reference_verified() -> None:
    reference = normalise(REFERENCE.read_text(encoding="utf-8")).lower()
    fields = ("doi", "pmid", "pmcid", "nct", "volume", "issue", "pages")
    unknown = [
        f"{source['id']}.{name}={source[name]}"
        for source in SOURCES
        for name in fields
        if name in source and normalise(str(source[name])).lower() not in reference
    ]
    assert unknown == []
    tool = SHARED / "tools" / "check-citations"
    if tool.is_file():
        result = subprocess.run([sys.executable, str(tool), str(DATA)], capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stdout


def test_unverified_fields_stay_out() -> None:
    leaked = [f"{s['id']}.{name}" for s in SOURCES for name in s.get("unverified", []) if s.get(name) is not None]
    assert leaked == []


def test_bundled_data_validates_cleanly() -> None:
    assert check(load(DATA)) == []


def test_every_page_has_mentions_and_claims_cover_the_pages() -> None:
    pages_with_mentions = {mention["page"] for _, mention in MENTIONS}
    assert pages_with_mentions == {page["id"] for page in PAGES}
    assert len(CLAIMS) > 40
    verdicts = {mention["verdict"] for _, mention in MENTIONS}
    assert {"accurate", "misattributed", "overstated", "unsupported", "contradicted", "misquoted"} <= verdicts


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    database = tmp_path_factory.mktemp("index") / "index.sqlite"
    runner = CliRunner()

    def run(*args: str) -> tuple[int, str]:
        result = runner.invoke(app, [*args, "--data", str(DATA), "--db", str(database)])
        return result.exit_code, result.stdout

    return run


@pytest.mark.parametrize("query", ["three out of four", "3 of 4", "three quarters", "almost 75 percent", "~75%"])
def test_search_finds_the_jefferson_responder_claim_first(kb, query: str) -> None:  # type: ignore[no-untyped-def]
    code, out = kb("search", query, "--format", "json")
    assert code == 0
    assert json.loads(out)[0]["claim_id"] == "jefferson-61-responders"


def test_show_jefferson_card(kb) -> None:  # type: ignore[no-untyped-def]
    code, out = kb("show", "jefferson-61-responders", "--format", "json")
    assert code == 0
    card = json.loads(out)
    schwenk = card["sources"]["schwenk-2018"]
    assert schwenk["container_title"] == "Regional Anesthesia and Pain Medicine"
    assert schwenk["doi"] == "10.1097/AAP.0000000000000827"
    assert schwenk["issued"].startswith("2018")
    assert card["claim"]["evidence"]["level"] and card["claim"]["evidence"]["reasons"]
    seeds = {page["id"]: page["seed_file"][:3] for page in card["pages"].values()}
    verdicts = {seeds[m["page"]]: m["verdict"] for m in card["claim"]["mentions"]}
    assert verdicts == {"000": "misattributed", "001": "accurate", "002": "misattributed"}
    code, text = kb("show", "jefferson-61-responders")
    assert "Regional Anesthesia and Pain Medicine" in text and "10.1097/AAP.0000000000000827" in text
    assert "Boston" in text and "imprecision" in text


def test_cite_jefferson_ama_and_bibtex(kb) -> None:  # type: ignore[no-untyped-def]
    code, ama = kb("cite", "jefferson-61-responders", "--style", "ama")
    assert code == 0
    assert "Schwenk ES" in ama and "Reg Anesth Pain Med. 2018;43(8):875-879" in ama
    code, bib = kb("cite", "schwenk-2018", "--style", "bibtex")
    import bibtexparser

    library = bibtexparser.parse_string(bib)
    assert not library.failed_blocks
    entry = library.entries[0]
    assert entry["doi"] == "10.1097/AAP.0000000000000827" and entry["volume"] == "43" and entry["year"] == "2018"
    assert re.search(r"875-+879", entry["pages"])
