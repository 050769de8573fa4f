"""Search for writers: at equal or near-equal relevance usable claims rank above do-not-use ones, a do-not-use
claim that matches clearly better still ranks first (and is labelled, never hidden), the approved wording comes
with each hit, filters compose, and an unknown id filter names the closest id. On small knowledge bases written
here and on the bundled one."""

from __future__ import annotations

from pathlib import Path

import pytest

from kb.errors import NotFound
from kb.index.build import ready
from kb.query.search import STATUS_MARGIN, Filters, rank, search
from kb.records import SearchHit
from kb.settings import resolve
from kb.store.db import Database

DATA = Path(__file__).resolve().parents[2] / "data"

SUBJECTS = """\
subjects:
  - id: relief-duration
    label: how long relief lasts after treatment X
    kind: quantity
    dimension: time
  - id: booking
    label: how sessions are booked
    kind: stance
"""


SOURCES = """\
sources:
  - id: trial-x
    type: report
    design: rct
    title: A trial of treatment X
"""


def _claim(ident: str, statement: str, status: str, subject: str = "relief-duration") -> str:
    usable = "" if status == "do-not-use" else f"    approved_wording: Wording of {ident}.\n"
    caveat = "    caveats: [one small study]\n" if status == "use-with-caveat" else ""
    source = "    sources: [{source: trial-x}]\n" if status == "approved" else ""
    head = f"  - id: {ident}\n    statement: {statement}\n    subject: {subject}\n    status: {status}\n"
    return head + usable + caveat + source


def _base(tmp_path: Path, *claims: str) -> Database:
    data = tmp_path / "data"
    data.mkdir()
    (data / "claims.yaml").write_text(SUBJECTS + "claims:\n" + "".join(claims), encoding="utf-8")
    (data / "sources.yaml").write_text(SOURCES, encoding="utf-8")
    return ready(resolve(str(data), f"sqlite:///{tmp_path / 'index.sqlite'}"))


def test_at_equal_relevance_approved_then_caveat_then_do_not_use(tmp_path: Path) -> None:
    # Ids chosen so that the old order (score, then id) would put the do-not-use claim first.
    db = _base(
        tmp_path,
        _claim("a-banned", "Relief lasts for several weeks.", "do-not-use"),
        _claim("b-caveat", "Relief lasts for several weeks.", "use-with-caveat"),
        _claim("c-approved", "Relief lasts for several weeks.", "approved"),
    )
    hits = search(db, "how long does relief last")
    assert [hit.claim_id for hit in hits] == ["c-approved", "b-caveat", "a-banned"]
    assert len({hit.score for hit in hits}) == 1  # equal relevance: the status decided
    assert hits[0].approved_wording == "Wording of c-approved."
    assert hits[2].status == "do-not-use" and hits[2].approved_wording is None  # found, labelled, no wording


def test_a_slightly_better_do_not_use_match_ranks_below_a_usable_one(tmp_path: Path) -> None:
    db = _base(
        tmp_path,
        _claim("banned", "Relief can last for several weeks.", "do-not-use"),
        _claim("usable", "Relief is felt for several weeks.", "approved"),
    )
    hits = {hit.claim_id: hit for hit in search(db, "relief last several weeks")}
    gap = hits["banned"].score - hits["usable"].score
    assert 0 < gap < STATUS_MARGIN["do-not-use"] - STATUS_MARGIN["approved"]  # better, but near-equal
    assert [hit.claim_id for hit in search(db, "relief last several weeks")] == ["usable", "banned"]


def test_a_much_better_do_not_use_match_still_ranks_first(tmp_path: Path) -> None:
    db = _base(
        tmp_path,
        _claim("banned", "Relief lasts for several weeks after one session.", "do-not-use"),
        _claim("usable", "One session is booked several weeks ahead.", "approved", subject="booking"),
    )
    hits = search(db, "relief lasts for several weeks after one session")
    assert [hit.claim_id for hit in hits] == ["banned", "usable"]
    assert hits[0].score - hits[1].score > 3 * STATUS_MARGIN["do-not-use"]  # by far the better match
    assert hits[0].status == "do-not-use"


def test_an_empty_query_lists_usable_claims_first(tmp_path: Path) -> None:
    db = _base(
        tmp_path,
        _claim("a-banned", "Relief lasts for weeks.", "do-not-use"),
        _claim("b-caveat", "Relief lasts for days.", "use-with-caveat"),
        _claim("c-approved", "Relief lasts for hours.", "approved"),
    )
    assert [hit.claim_id for hit in search(db, "")] == ["c-approved", "b-caveat", "a-banned"]
    listed = search(db, "", Filters(statuses=("approved", "do-not-use")))
    assert [hit.claim_id for hit in listed] == ["c-approved", "a-banned"]


def test_rank_is_score_less_the_status_margin() -> None:
    def hit(ident: str, score: float, status: str) -> SearchHit:
        return SearchHit(ident, score, "", "", "low", status, "")

    hits = [hit("x", 90.0, "do-not-use"), hit("y", 85.0, "approved"), hit("z", 97.0, "do-not-use")]
    assert [h.claim_id for h in sorted(hits, key=rank)] == ["z", "y", "x"]
    assert [h.claim_id for h in sorted([hit("a", 50.0, "new-status"), hit("b", 50.0, "do-not-use")], key=rank)] == [
        "a",
        "b",
    ]


@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> Database:
    return ready(resolve(str(DATA), f"sqlite:///{tmp_path_factory.mktemp('search') / 'index.sqlite'}"))


def test_the_issue_query_ranks_a_usable_claim_first_with_its_wording(bundled: Database) -> None:
    hits = search(bundled, "how long does relief last")
    assert hits[0].status in ("approved", "use-with-caveat")
    assert hits[0].approved_wording
    assert hits[0].subject == "How long pain relief lasts after ketamine"
    banned = [hit for hit in hits if hit.status == "do-not-use"]
    assert banned and all(hit.approved_wording is None for hit in banned)  # still found, never hidden
    assert "relief-lasts-30-to-100-days" in {hit.claim_id for hit in banned}
    assert hits == sorted(hits, key=rank)


@pytest.mark.parametrize("query", ["side effects", "cure migraine", "is ketamine addictive"])
def test_ties_on_the_bundled_data_put_usable_claims_first(bundled: Database, query: str) -> None:
    hits = search(bundled, query)
    best = hits[0].score
    tied = [hit.status for hit in hits if hit.score == best]
    assert "do-not-use" in tied and tied[0] != "do-not-use"
    assert tied == sorted(tied, key=lambda status: STATUS_MARGIN[status])


def test_status_filters_compose_with_a_query_and_the_other_filters(bundled: Database) -> None:
    usable = Filters(statuses=("approved", "use-with-caveat"))
    hits = search(bundled, "how long does relief last", usable, limit=50)
    assert hits and all(hit.status != "do-not-use" for hit in hits)
    on_subject = Filters(statuses=("do-not-use",), subject="relief-duration")
    banned = search(bundled, "how long does relief last", on_subject, limit=50)
    assert {hit.claim_id for hit in banned} == {"relief-lasts-30-to-100-days", "relief-lasts-weeks-to-months"}
    both = Filters(statuses=("use-with-caveat",), subject="relief-duration", min_level="very-low")
    assert all(hit.evidence != "no-evidence" for hit in search(bundled, "", both, limit=50))
    assert search(bundled, "", Filters(statuses=("approved",), subject="relief-duration")) == []


@pytest.mark.parametrize(
    ("filters", "message", "hint"),
    [
        (Filters(subject="relief-durration"), "unknown subject 'relief-durration'", "did you mean 'relief-duration'?"),
        (Filters(source="schwenk-2019"), "unknown source 'schwenk-2019'", "did you mean 'schwenk-2018'?"),
        (Filters(page="zzzzzzzz"), "unknown page 'zzzzzzzz'", "see `kb pages`"),
    ],
)
def test_an_unknown_id_filter_is_an_error_naming_the_closest(
    bundled: Database, filters: Filters, message: str, hint: str
) -> None:
    with pytest.raises(NotFound) as raised:
        search(bundled, "relief", filters)
    assert raised.value.message == message
    assert raised.value.hint == hint
