"""`kb add source | claim | mention` through the CLI, and their error paths (exit 2, file:line, fix)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import Run
from tests.records import bibtex, bundled, csl_json, pubmed_xml, ris, write

DATA = Path(__file__).resolve().parent.parent.parent / "data"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copytree(DATA, tmp_path / "data")
    return tmp_path


def _files(project: Path) -> dict[str, bytes]:
    return {name: (project / "data" / name).read_bytes() for name in ("claims.yaml", "sources.yaml", "pages.yaml")}


def test_an_existing_id_is_refused_with_a_free_one_suggested(run: Run, project: Path) -> None:
    path = write(project / "refs.bib", bibtex(bundled("schwenk-2018")))
    before = _files(project)
    code, _, err = run("add", "source", "--bibtex", path, "--design", "retrospective-cohort")
    assert code == 2
    assert "source id 'schwenk-2018' exists already (fix: choose another id with --id, e.g. 'schwenk-2018b')" in err
    assert _files(project) == before


def test_identifiers_without_verified_at_are_left_out_with_a_note(run: Run, project: Path) -> None:
    path = write(project / "refs.ris", ris(bundled("niesters-2014")))
    code, _, err = run("add", "source", "--ris", path, "--id", "niesters-copy", "--design", "narrative-review")
    assert code == 0, err
    assert "left out doi, volume, issue, pages, issued (identifiers enter only with --verified-at" in err
    text = (project / "data" / "sources.yaml").read_text(encoding="utf-8")
    assert "  - id: niesters-copy\n" in text and "    unverified: [doi, volume, issue, pages, issued]\n" in text


def test_several_records_need_select_for_an_id_and_select_picks(run: Run, project: Path) -> None:
    path = write(project / "refs.json", csl_json(bundled("schwenk-2018"), bundled("niesters-2014")))
    code, _, err = run("add", "source", "--csl-json", path, "--id", "one", "--design", "narrative-review")
    assert code == 2 and "holds 2 records (fix: add --select KEY)" in err
    code, _, err = run("add", "source", "--csl-json", path, "--select", "wrong", "--design", "narrative-review")
    assert code == 2 and "--select one of: schwenk-2018, niesters-2014" in err
    code, _, err = run(
        "add",
        "source",
        "--csl-json",
        path,
        "--select",
        "2",
        "--id",
        "niesters-2014-csl",
        "--design",
        "narrative-review",
        "--verified-at",
        "test record",
    )
    assert code == 0, err
    assert "added source niesters-2014-csl to data/sources.yaml:" in err


def test_a_missing_file_and_a_missing_design_exit_2(run: Run, project: Path) -> None:
    code, _, err = run("add", "source", "--pubmed", "nope.xml")
    assert code == 2 and err.startswith("kb: error: nope.xml: file not found (fix: check the path)")
    path = write(project / "p.xml", pubmed_xml(bundled("schwenk-2018")))
    code, _, err = run("add", "source", "--pubmed", path, "--id", "x-2018")
    assert code == 2 and "states no publication type that names a study design (fix: pass --design" in err


def test_add_claim_from_options_and_its_errors(run: Run, project: Path) -> None:
    base = ["add", "claim", "--statement", "Migraine is most common from 35 to 45.", "--status", "approved"]
    code, _, err = run(*base, "--id", "peak-35-45-b", "--subject", "migraine-peak-ag", "--wording", "w")
    assert code == 2 and "unknown subject 'migraine-peak-ag' (fix: did you mean 'migraine-peak-age'?)" in err
    code, _, err = run(*base, "--id", "migraine-peak-age-35-to-45", "--subject", "migraine-peak-age")
    assert code == 2 and "claim id 'migraine-peak-age-35-to-45' exists already" in err
    code, _, err = run(*base, "--id", "peak-35-45-b", "--subject", "migraine-peak-age", "--wording", "w")
    assert code == 2 and "approved for writers but no source supports it" in err  # validation, nothing written
    code, _, err = run(
        *base,
        "--id",
        "peak-35-45-b",
        "--subject",
        "migraine-peak-age",
        "--wording",
        "Most common at 35 to 45.",
        "--supports",
        "migraine-trust-facts",
        "--quote",
        "usually peaks between the ages of 35 and 45 years",
        "--value",
        "35-45 age-years",
    )
    assert code == 0, err
    text = (project / "data" / "claims.yaml").read_text(encoding="utf-8")
    assert "    value: {kind: quantity, low: 35, high: 45, unit: age-years}\n" in text


def test_add_claim_from_yaml_with_its_subject(run: Run, project: Path) -> None:
    document = project / "new.yaml"
    document.write_text(
        "subjects:\n  - {id: new-subject, label: A new subject, kind: stance}\n"
        "claims:\n  - id: new-stance\n    statement: A new stance.\n    subject: new-subject\n"
        "    value: {kind: stance, stance: yes-it-is}\n    status: do-not-use\n",
        encoding="utf-8",
    )
    code, _, err = run("add", "claim", "--from-yaml", document)
    assert code == 0, err
    assert "added subject new-subject" in err and "added claim new-stance" in err


def test_add_mention_checks_the_quote_against_the_page(run: Run, project: Path) -> None:
    before = _files(project)
    common = ["add", "mention", "--claim", "migraine-peak-age-35-to-45", "--verdict", "contradicted", "--note", "n"]
    code, _, err = run(*common, "--page", "relevare", "--quote", "words the page never says")
    assert code == 2 and "quote not found in page relevare (in the entry being added; nothing was written)" in err
    assert "(fix: copy it verbatim; closest text:" in err
    assert err.startswith("kb: error: data/claims.yaml:")
    code, _, err = run(*common, "--page", "relevar", "--quote", "x")
    assert code == 2 and "unknown page 'relevar' (fix: did you mean 'relevare'?)" in err
    code, _, err = run(*common[:3], "migraine-peak", *common[4:], "--page", "relevare", "--quote", "x")
    assert code == 2 and "unknown claim 'migraine-peak'" in err
    assert _files(project) == before
    code, _, err = run(*common, "--page", "relevare", "--quote", "ranging in age from 20 to 50 years old")
    assert code == 0, err


def test_an_invalid_record_is_refused_with_its_line_and_nothing_written(run: Run, project: Path) -> None:
    niesters = bundled("niesters-2014")
    text = bibtex(niesters).replace(str(niesters.doi), "not-a-doi")
    path = write(project / "bad.bib", text)
    before = _files(project)
    code, _, err = run(
        "add", "source", "--bibtex", path, "--id", "bad-doi", "--design", "narrative-review", "--verified-at", "x"
    )
    assert code == 2
    assert err.startswith("kb: error: data/sources.yaml:")
    assert "malformed doi 'not-a-doi' (in the entry being added; nothing was written)" in err
    assert _files(project) == before


def test_a_source_with_a_finding_and_a_claim_quoting_it(run: Run, project: Path) -> None:
    source = bundled("schwenk-2018")
    quote = next(finding.quote for finding in source.findings if finding.id == "immediate-responders")
    path = write(project / "s.xml", pubmed_xml(source))
    code, _, err = run(
        "add",
        "source",
        "--pubmed",
        path,
        "--id",
        "schwenk-2018-pubmed",
        "--design",
        "retrospective-cohort",
        "--verified-at",
        "PubMed record",
        "--finding",
        f"immediate-responders={quote}",
    )
    assert code == 0, err
    code, _, err = run(
        "add",
        "claim",
        "--id",
        "responders-from-pubmed",
        "--subject",
        "jefferson-61-responder-share",
        "--statement",
        "77% of 61 patients responded at once.",
        "--value",
        "77 percent",
        "--supports",
        "schwenk-2018-pubmed",
        "--quote",
        quote,
        "--status",
        "use-with-caveat",
        "--wording",
        "w",
        "--caveat",
        "c",
    )
    assert code == 0, err
    code, _, err = run("add", "source", "--pubmed", path, "--id", "z", "--design", "rct", "--finding", "no-equals")
    assert code == 2 and "cannot read --finding 'no-equals'" in err


def test_a_source_from_field_options(run: Run, project: Path) -> None:
    code, _, err = run(
        "add",
        "source",
        "--title",
        "A fact sheet",
        "--author",
        "Example, A.",
        "--design",
        "organisation-fact-sheet",
        "--type",
        "webpage",
        "--url",
        "https://example.org/fact-sheet",
    )
    assert code == 0, err
    assert "example: left out url" in err
    text = (project / "data" / "sources.yaml").read_text(encoding="utf-8")
    assert text.endswith(
        '  - id: example\n    type: webpage\n    design: organisation-fact-sheet\n    title: "A fact sheet"\n'
        "    authors:\n      - {family: Example, given: A.}\n    unverified: [url]\n"
    )
    code, _, err = run("add", "source")
    assert code == 2 and "nothing to add (fix: pass --bibtex, --ris, --csl-json or --pubmed FILE" in err
