"""`kb cite` hands a writer only sources that support a claim: refusals, several ids, page and subject
bibliographies, RIS, and the copy-ready block, on the bundled knowledge base."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from kb.errors import CiteRefused, NotFound
from kb.index.build import ready
from kb.query.bibliography import bibliography, cited_claim, page_claims, subject_claims
from kb.query.cite import copy_block, format_citations
from kb.settings import resolve
from kb.store.db import Database

DATA = Path(__file__).resolve().parents[2] / "data"
CLAIMS = yaml.safe_load((DATA / "claims.yaml").read_text(encoding="utf-8"))["claims"]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Database:
    return ready(resolve(str(DATA), f"sqlite:///{tmp_path_factory.mktemp('bib') / 'index.sqlite'}"))


def _supporting(claim: dict[str, object]) -> list[str]:
    links = claim.get("sources") or []
    assert isinstance(links, list)
    return [link["source"] for link in links if link.get("relation", "supports") == "supports"]


@pytest.mark.parametrize("claim", [c for c in CLAIMS if c["status"] == "do-not-use"], ids=lambda c: c["id"])
def test_every_do_not_use_claim_is_refused(db: Database, claim: dict[str, object]) -> None:
    with pytest.raises(CiteRefused, match="do-not-use"):
        bibliography(db, [str(claim["id"])])


def test_a_claim_whose_sources_only_contradict_or_give_context_is_refused(db: Database) -> None:
    unsupported = [c for c in CLAIMS if c["status"] != "do-not-use" and not _supporting(c)]
    assert unsupported  # the bundled data has such claims
    for claim in unsupported:
        with pytest.raises(CiteRefused, match="cannot be cited"):
            cited_claim(db, claim["id"])


def test_the_contradicting_sources_are_still_citable_by_name(db: Database) -> None:
    """ketamine-cures-migraine is refused, yet a source it links can be cited when the writer names it."""
    cure = next(c for c in CLAIMS if c["id"] == "ketamine-cures-migraine")
    named = cure["sources"][0]["source"]
    assert [r["id"] for r in bibliography(db, [named])] == [named]


def test_several_ids_each_source_once_in_order_of_first_use(db: Database) -> None:
    first = next(c for c in CLAIMS if c["id"] == "jefferson-61-responders")
    records = bibliography(db, ["jefferson-61-responders", _supporting(first)[0]])
    assert [r["id"] for r in records] == list(dict.fromkeys(_supporting(first)))


def test_a_subject_bibliography_leaves_out_the_claims_that_cannot_be_cited(db: Database) -> None:
    claims = subject_claims(db, "long-term-benefit")
    assert [c.id for c in claims] == ["no-evidence-long-term-benefit"]  # the do-not-use one is left out
    assert [r["id"] for r in bibliography(db, subject="long-term-benefit")] == ["cohen-2018-guidelines"]
    with pytest.raises(NotFound):
        subject_claims(db, "no-such-subject")


def test_a_page_bibliography_cites_the_sourced_claims_its_mentions_rest_on(db: Database) -> None:
    claims = page_claims(db, "relevare")
    assert claims and all(c.status != "do-not-use" and c.sources for c in claims)
    cited = {r["id"] for r in bibliography(db, page="relevare")}
    assert cited == {source for claim in claims for source in claim.sources}
    with pytest.raises(NotFound):
        page_claims(db, "no-such-page")


def test_ris_records_carry_what_a_reference_manager_reads(db: Database) -> None:
    text = format_citations(bibliography(db, ["schwenk-2018"]), "ris")
    lines = text.splitlines()
    assert lines[0] == "TY  - JOUR" and lines[-1] == "ER  - "
    assert "AU  - Schwenk, Eric S." in lines and "DO  - 10.1097/AAP.0000000000000827" in lines
    assert "SP  - 875" in lines and "EP  - 879" in lines and "PY  - 2018" in lines
    assert not any(line.rstrip(".").isdigit() for line in lines)  # no record counter


def test_the_copy_ready_block_cites_each_wording_with_the_numbers_of_its_references(db: Database) -> None:
    claims = [cited_claim(db, "no-evidence-long-term-benefit"), cited_claim(db, "jefferson-61-responders")]
    sources = bibliography(db, [c.id for c in claims])
    block = copy_block([(str(c.approved_wording), c.sources) for c in claims], sources, "ama")
    wording, _, references = block.partition("\n\nReferences\n")
    first, second = wording.splitlines()
    assert first.startswith(str(claims[0].approved_wording).rstrip(".")) and first.endswith(" [1].")
    assert second.endswith("[2,3,4].")
    assert references.splitlines()[0].startswith("1. Cohen SP.")
    apa = copy_block([(str(claims[0].approved_wording), claims[0].sources)], sources[:1], "apa")
    assert apa.splitlines()[0].endswith("(Cohen, 2018).")
