"""Broken input: one located line per problem, the documented exit code, no traceback, no index written.

The `kb validate` contract: exit 0 clean, 1 validation problems (schema, ids, references, identifiers, quotes),
2 cannot run (unparseable YAML, bad encoding, missing paths). Commands that need valid data (`search`, `show`,
`index`) exit 2 with the first problem's location.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

# kb: error: path:line[:column]: message
LOCATED_ERROR = re.compile(r"^kb: error: (?P<path>\S+?):(?P<line>\d+)(?::(?P<column>\d+))?: (?P<message>.+)$")
# path:line:column: code: message (fix: hint)
PROBLEM_LINE = re.compile(r"^(?P<path>\S+?):(?P<line>\d+):(?P<column>\d+): (?P<code>[a-z-]+): (?P<message>.+)$")

Edit = Callable[[Path, str, str], int]
LineOf = Callable[..., int]


def assert_no_index(tmp_path: Path, db_path: Path) -> None:
    assert not db_path.exists(), "a failed command wrote the index"
    assert not (tmp_path / ".kb").exists(), "a command wrote the default index"
    assert not list(tmp_path.glob(f".{db_path.name}*")), "a temporary index was left behind"


def one_error(stderr: str, stdout: str = "") -> re.Match[str]:
    """The single `kb: error: path:line[:col]: message` line on stderr."""
    assert "Traceback" not in stderr + stdout
    lines = stderr.splitlines()
    assert len(lines) == 1, f"expected one line on stderr, got: {stderr!r}"
    match = LOCATED_ERROR.match(lines[0])
    assert match, f"not a located one-line error: {lines[0]!r}"
    return match


# ------------------------------------------------------------------ inputs kb cannot read (exit 2 everywhere)


def _same_line_syntax_error(d: Path, edit: Edit) -> tuple[str, int, int | None, str]:
    line = edit(
        d / "claims.yaml", "    label: length of one infusion session", "    label: length: of one infusion session"
    )
    return "claims.yaml", line, len("    label: length:"), "malformed YAML"


def _duplicate_key(d: Path, edit: Edit) -> tuple[str, int, int | None, str]:
    line = edit(d / "sources.yaml", "    n: 61\n", "    n: 61\n    n: 62\n") + 1
    return "sources.yaml", line, 5, "duplicate key 'n'"


def _empty_file(d: Path, edit: Edit) -> tuple[str, int, int | None, str]:
    (d / "claims.yaml").write_bytes(b"")
    return "claims.yaml", 1, 1, "empty file"


def _blank_file(d: Path, edit: Edit) -> tuple[str, int, int | None, str]:
    (d / "pages.yaml").write_bytes(b"  \n\n \n")
    return "pages.yaml", 1, 1, "empty file"


def _bad_utf8(d: Path, edit: Edit) -> tuple[str, int, int | None, str]:
    (d / "pages.yaml").write_bytes(b"# pages\npages:\n  - id: cl\xffinic\n")
    return "pages.yaml", 3, len("  - id: cl") + 1, "invalid UTF-8 byte 0xff"


def _binary(d: Path, edit: Edit) -> tuple[str, int, int | None, str]:
    (d / "sources.yaml").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    return "sources.yaml", 1, 1, "binary file"


BILLION_LAUGHS = "\n".join(
    [
        'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]',
        *(
            f"{name}: &{name} [{', '.join([f'*{prev}'] * 9)}]"
            for prev, name in zip("abcdefgh", "bcdefghi", strict=True)
        ),
        "claims: *i",
        "",
    ]
)


def _alias_bomb(d: Path, edit: Edit) -> tuple[str, int, int | None, str]:
    (d / "claims.yaml").write_text(BILLION_LAUGHS, encoding="utf-8")
    return "claims.yaml", 2, len("b: &b [") + 1, "YAML aliases are not allowed"  # the first `*a`


def _top_level_list(d: Path, edit: Edit) -> tuple[str, int, int | None, str]:
    (d / "pages.yaml").write_text("- id: clinic\n", encoding="utf-8")
    return "pages.yaml", 1, 1, "top level must be a mapping"


def _python_tag(d: Path, edit: Edit) -> tuple[str, int, int | None, str]:
    (d / "pages.yaml").write_text('pages: !!python/object/apply:os.system ["echo pwned"]\n', encoding="utf-8")
    return "pages.yaml", 1, 8, "malformed YAML"


UNREADABLE = {
    "same-line-syntax-error": _same_line_syntax_error,
    "duplicate-mapping-key": _duplicate_key,
    "empty-file": _empty_file,
    "whitespace-only-file": _blank_file,
    "non-utf8-byte": _bad_utf8,
    "binary-file": _binary,
    "alias-bomb": _alias_bomb,
    "top-level-list": _top_level_list,
    "python-tag": _python_tag,
}


@pytest.mark.parametrize("command", [["validate"], ["search", "three out of four"], ["show", "responders"], ["index"]])
@pytest.mark.parametrize("case", UNREADABLE.values(), ids=UNREADABLE.keys())
def test_unreadable_input_exits_2_with_a_located_line(
    case: Any, command: list[str], run: Any, mini_data: Path, db_path: Path, tmp_path: Path, edit: Edit
) -> None:
    filename, line, column, fragment = case(mini_data, edit)
    db = [] if command == ["validate"] else ["--db", db_path]
    code, out, err = run(*command, "--data", mini_data, *db)
    assert code == 2
    assert out == ""
    match = one_error(err, out)
    assert match["path"].endswith(filename)
    assert int(match["line"]) == line
    if column is not None:
        assert match["column"] is not None and int(match["column"]) == column
    assert fragment in match["message"]
    assert "(fix: " in match["message"]
    assert_no_index(tmp_path, db_path)


def test_non_utf8_byte_names_line_3(run: Any, mini_data: Path) -> None:
    (mini_data / "claims.yaml").write_bytes(b"subjects: []\nclaims:\n  - id: r\xffx\n")
    code, _, err = run("validate", "--data", mini_data)
    assert code == 2
    assert re.search(r"claims\.yaml:3:\d+: invalid UTF-8", err)


def test_unclosed_bracket_is_malformed_yaml_near_its_line(
    run: Any, mini_data: Path, db_path: Path, tmp_path: Path, edit: Edit
) -> None:
    bracket_line = edit(mini_data / "claims.yaml", "aliases: [improved, responders]", "aliases: [improved, responders")
    for command in (["validate"], ["search", "x", "--db", db_path]):
        code, out, err = run(*command, "--data", mini_data)
        assert code == 2
        match = one_error(err, out)
        assert match["path"].endswith("claims.yaml")
        assert int(match["line"]) in (bracket_line, bracket_line + 1)
        assert match["column"] is not None
        assert "malformed YAML" in match["message"]
    assert_no_index(tmp_path, db_path)


def test_unclosed_bracket_message_names_the_bracket_line(run: Any, mini_data: Path, edit: Edit) -> None:
    bracket_line = edit(mini_data / "claims.yaml", "aliases: [improved, responders]", "aliases: [improved, responders")
    code, _, err = run("validate", "--data", mini_data)
    assert code == 2
    assert re.search(rf"claims\.yaml:{bracket_line}:\d+:|line {bracket_line}\b", err), err


def test_alias_error_names_the_alias_line(run: Any, mini_data: Path) -> None:
    (mini_data / "pages.yaml").write_text("note: &n hello\npages: []\nagain: *n\n", encoding="utf-8")
    code, _, err = run("validate", "--data", mini_data)
    assert code == 2
    assert re.search(r"pages\.yaml:3:\d+: YAML aliases are not allowed", err), err


def test_alias_bomb_is_rejected_quickly_by_the_loader() -> None:
    from kb.data.yamlload import load_text
    from kb.errors import DataError

    with pytest.raises(DataError, match="aliases are not allowed") as caught:
        load_text(BILLION_LAUGHS, "bomb.yaml")
    assert caught.value.path == "bomb.yaml"
    assert caught.value.line is not None


# ------------------------------------------------------------------ missing paths (exit 2)


def test_missing_data_folder(run: Any, tmp_path: Path, db_path: Path) -> None:
    missing = tmp_path / "no-such-folder"
    for command in (["validate"], ["search", "x", "--db", db_path], ["show", "responders", "--db", db_path]):
        code, out, err = run(*command, "--data", missing)
        assert code == 2
        assert out == ""
        assert "Traceback" not in err
        assert len(err.splitlines()) == 1
        assert err.startswith("kb: error: data folder not found")
        assert "no-such-folder" in err
    assert_no_index(tmp_path, db_path)


def test_missing_claims_yaml(run: Any, mini_data: Path, tmp_path: Path, db_path: Path) -> None:
    (mini_data / "claims.yaml").unlink()
    for command in (["validate"], ["search", "x", "--db", db_path]):
        code, out, err = run(*command, "--data", mini_data)
        assert code == 2
        assert out == ""
        assert "Traceback" not in err
        assert len(err.splitlines()) == 1
        assert re.match(r"^kb: error: \S*claims\.yaml: file not found", err), err
    assert_no_index(tmp_path, db_path)


def test_no_data_folder_anywhere_above(run: Any, tmp_path: Path) -> None:
    code, out, err = run("validate")  # cwd is tmp_path, which has no data/claims.yaml above it
    assert code == 2
    assert "no data/claims.yaml here or above" in err
    assert "Traceback" not in err


# ------------------------------------------------------------------ validation problems (validate: exit 1)

Problem = tuple[str, int, int, str, str]  # file, line, column, code, text in message or hint


def _wrong_type(d: Path, edit: Edit) -> Problem:
    return "sources.yaml", edit(d / "sources.yaml", "n: 61", "n: many"), 5, "schema", "sources.0.n"


def _unknown_key(d: Path, edit: Edit) -> Problem:
    line = edit(d / "sources.yaml", '    title: "Ketamine', '    titel: "Ketamine')
    return "sources.yaml", line, 5, "schema", "titel"


def _duplicate_claim_id(d: Path, edit: Edit) -> Problem:
    line = edit(d / "claims.yaml", "id: infusion-one-hour", "id: responders")
    return "claims.yaml", line, 5, "duplicate-id", "duplicate id 'responders'"


def _dangling_subject(d: Path, edit: Edit) -> Problem:
    line = edit(d / "claims.yaml", "subject: responder-share", "subject: responder-shares")
    return "claims.yaml", line, 5, "unknown-id", "did you mean 'responder-share'"


def _dangling_source(d: Path, edit: Edit) -> Problem:
    line = edit(d / "claims.yaml", "- source: schwenk-2018", "- source: schwenk-2019")
    return "claims.yaml", line, 9, "unknown-id", "did you mean 'schwenk-2018'"


def _dangling_page(d: Path, edit: Edit) -> Problem:
    line = edit(d / "claims.yaml", '- page: clinic\n        quote: "Each', '- page: clinc\n        quote: "Each')
    return "claims.yaml", line, 9, "unknown-id", "did you mean 'clinic'"


def _dangling_reports(d: Path, edit: Edit) -> Problem:
    line = edit(d / "sources.yaml", "reports: schwenk-2018", "reports: schwenk-2017")
    return "sources.yaml", line, 5, "unknown-id", "did you mean 'schwenk-2018'"


def _quote_not_in_page(d: Path, edit: Edit) -> Problem:
    line = edit(
        d / "claims.yaml",
        'quote: "Ketamine is not an addictive drug."',
        'quote: "Ketamine is never an addictive drug."',
    )
    return "claims.yaml", line, 9, "quote-not-found", "quote not found in page clinic"


def _quote_not_in_finding(d: Path, edit: Edit) -> Problem:
    line = edit(d / "claims.yaml", 'quote: "Forty-eight (77%) of the 61', 'quote: "Fifty (77%) of the 61')
    return "claims.yaml", line, 9, "quote-not-found", "schwenk-2018/immediate-responders"


def _url_doi(d: Path, edit: Edit) -> Problem:
    line = edit(d / "sources.yaml", "doi: 10.1097/AAP.0000000000000827", "doi: https://doi.org/10.1/x")
    return "sources.yaml", line, 5, "bad-identifier", "malformed doi"


def _unverified_doi(d: Path, edit: Edit) -> Problem:
    edit(d / "sources.yaml", '      doi: "VERIFIED: togows PubMed record"\n', "")
    text = (d / "sources.yaml").read_text(encoding="utf-8")
    line = text[: text.index("    doi: 10.1097")].count("\n") + 1
    return "sources.yaml", line, 5, "unverified-field", "`doi` has no entry in verified_at"


def _short_override(d: Path, edit: Edit) -> Problem:
    override = "    evidence_override: {level: low, rationale: too short}\n"
    anchor = '    status: do-not-use\n    mentions:\n      - page: clinic\n        quote: "Ketamine'
    line = edit(d / "claims.yaml", anchor, override + anchor)
    return "claims.yaml", line, override.index("rationale") + 1, "schema", "evidence_override.rationale"


def _bad_enum(d: Path, edit: Edit) -> Problem:
    return "claims.yaml", edit(d / "claims.yaml", "verdict: unsupported", "verdict: wrong"), 9, "schema", "verdict"


def _page_file_not_utf8(d: Path, edit: Edit) -> Problem:
    (d / "pages" / "clinic.txt").write_bytes(b"Ketamine for migraines\n\xff\n")
    text = (d / "pages.yaml").read_text(encoding="utf-8")
    line = text[: text.index("    file: pages/clinic.txt")].count("\n") + 1
    return "pages.yaml", line, 5, "page-file", "invalid UTF-8"


def _value_kind_off_subject(d: Path, edit: Edit) -> Problem:
    line = edit(
        d / "claims.yaml", "value: {kind: stance, stance: not-addictive}", "value: {kind: entity, entity: Boston}"
    )
    return "claims.yaml", line, len("    value: {") + 1, "bad-value", "a entity value on stance subject 'addiction'"


def _unknown_unit(d: Path, edit: Edit) -> Problem:
    line = edit(
        d / "claims.yaml",
        "value: {kind: quantity, value: 77, unit: percent}",
        "value: {kind: quantity, value: 77, unit: percnt}",
    )
    column = len("    value: {kind: quantity, value: 77, ") + 1
    return "claims.yaml", line, column, "bad-value", "did you mean 'percent'"


def _approved_without_evidence(d: Path, edit: Edit) -> Problem:
    text = (d / "claims.yaml").read_text(encoding="utf-8")
    anchor = '    status: do-not-use\n    mentions:\n      - page: clinic\n        quote: "Each'
    assert anchor in text
    line = text[: text.index(anchor)].count("\n") + 1
    (d / "claims.yaml").write_text(
        text.replace(
            anchor,
            "    status: approved\n    approved_wording: One infusion takes about an hour.\n"
            '    mentions:\n      - page: clinic\n        quote: "Each',
            1,
        ),
        encoding="utf-8",
    )
    return "claims.yaml", line, 5, "approved-without-evidence", "no source supports it"


def _subject_source_unknown(d: Path, edit: Edit) -> Problem:
    entity = (
        "  - id: study-city\n    label: where the study was done\n    kind: entity\n    entity_type: city\n"
        "    source: schwenk-2019\n"
    )
    line = edit(d / "claims.yaml", "  - id: addiction\n", entity + "  - id: addiction\n")
    return "claims.yaml", line + 4, 5, "unknown-id", "did you mean 'schwenk-2018'"


def _subject_relative_to_unknown(d: Path, edit: Edit) -> Problem:
    line = edit(d / "claims.yaml", "    dimension: time\n", "    dimension: time\n    relative_to: infusion-lenght\n")
    return "claims.yaml", line + 1, 5, "unknown-id", "did you mean 'infusion-length'"


INVALID = {
    "subject-source-unknown": _subject_source_unknown,
    "subject-relative-to-unknown": _subject_relative_to_unknown,
    "value-kind-off-subject": _value_kind_off_subject,
    "unknown-unit": _unknown_unit,
    "approved-without-evidence": _approved_without_evidence,
    "wrong-type": _wrong_type,
    "unknown-key": _unknown_key,
    "duplicate-claim-id": _duplicate_claim_id,
    "dangling-subject": _dangling_subject,
    "dangling-source": _dangling_source,
    "dangling-page": _dangling_page,
    "dangling-reports": _dangling_reports,
    "quote-not-in-page": _quote_not_in_page,
    "quote-not-in-finding": _quote_not_in_finding,
    "doi-with-url-prefix": _url_doi,
    "doi-not-verified": _unverified_doi,
    "short-override-rationale": _short_override,
    "unknown-verdict": _bad_enum,
    "page-file-not-utf8": _page_file_not_utf8,
}


@pytest.mark.parametrize("case", INVALID.values(), ids=INVALID.keys())
def test_validate_text_reports_each_problem_on_its_line(
    case: Any, run: Any, mini_data: Path, tmp_path: Path, db_path: Path, edit: Edit
) -> None:
    filename, line, column, problem_code, fragment = case(mini_data, edit)
    code, out, err = run("validate", "--data", mini_data)
    assert code == 1
    assert "Traceback" not in out + err
    problems = [PROBLEM_LINE.match(text) for text in out.splitlines()]
    assert problems and all(problems), out
    located = [
        p
        for p in problems
        if p
        and p["path"].endswith(filename)
        and int(p["line"]) == line
        and int(p["column"]) == column
        and p["code"] == problem_code
    ]
    assert located, f"no {problem_code} at {filename}:{line}:{column} in {out!r}"
    assert fragment in located[0]["message"]
    assert "problem(s)" in err
    assert_no_index(tmp_path, db_path)


@pytest.mark.parametrize("case", INVALID.values(), ids=INVALID.keys())
def test_validate_json_lists_problems(case: Any, run: Any, mini_data: Path, edit: Edit) -> None:
    filename, line, column, problem_code, fragment = case(mini_data, edit)
    code, out, err = run("validate", "--data", mini_data, "--format", "json")
    assert code == 1
    problems = json.loads(out)
    assert isinstance(problems, list) and problems
    for problem in problems:
        assert set(problem) == {"path", "line", "column", "code", "message", "hint"}
        assert isinstance(problem["line"], int) and isinstance(problem["column"], int)
        assert problem["line"] >= 1 and problem["column"] >= 1
    matching = [
        p
        for p in problems
        if p["path"].endswith(filename) and (p["line"], p["column"], p["code"]) == (line, column, problem_code)
    ]
    assert matching, problems
    assert fragment in matching[0]["message"] + " " + (matching[0]["hint"] or "")
    assert matching[0]["hint"]


@pytest.mark.parametrize(
    "command",
    [
        ["search", "three out of four"],
        ["show", "responders"],
        ["index"],
        ["cite", "responders"],
        ["pages"],
        ["sources"],
    ],
)
@pytest.mark.parametrize("case", INVALID.values(), ids=INVALID.keys())
def test_commands_needing_valid_data_exit_2(
    case: Any, command: list[str], run: Any, mini_data: Path, tmp_path: Path, db_path: Path, edit: Edit
) -> None:
    case(mini_data, edit)
    _, report, _ = run("validate", "--data", mini_data, "-f", "json")
    first = json.loads(report)[0]
    code, out, err = run(*command, "--data", mini_data, "--db", db_path)
    assert code == 2
    assert out == ""
    match = one_error(err, out)
    assert match["path"] == first["path"]
    assert (int(match["line"]), int(match["column"] or 0)) == (first["line"], first["column"])
    assert match["message"].startswith(first["message"])
    assert_no_index(tmp_path, db_path)


def test_several_problems_are_all_reported_sorted(run: Any, mini_data: Path, edit: Edit) -> None:
    edit(mini_data / "sources.yaml", "n: 61", "n: many")
    edit(mini_data / "claims.yaml", "verdict: unsupported", "verdict: wrong")
    edit(mini_data / "claims.yaml", "verdict: contradicted", "verdict: wrong-too")
    code, out, _ = run("validate", "--data", mini_data, "-f", "json")
    assert code == 1
    problems = json.loads(out)
    assert len(problems) == 3
    keys = [(p["path"], p["line"], p["column"]) for p in problems]
    assert keys == sorted(keys)


def test_search_on_invalid_data_mentions_the_other_problems(
    run: Any, mini_data: Path, db_path: Path, edit: Edit
) -> None:
    edit(mini_data / "claims.yaml", "verdict: unsupported", "verdict: wrong")
    edit(mini_data / "claims.yaml", "verdict: contradicted", "verdict: wrong-too")
    code, _, err = run("search", "x", "--data", mini_data, "--db", db_path)
    assert code == 2
    assert "and 1 more problem(s); run `kb validate`" in err


def test_validate_clean_data_exits_0(run: Any, mini_data: Path, tmp_path: Path, db_path: Path) -> None:
    code, out, err = run("validate", "--data", mini_data)
    assert (code, out) == (0, "")
    assert "valid" in err
    code, out, _ = run("validate", "--data", mini_data, "-f", "json")
    assert code == 0
    assert json.loads(out) == []
    assert_no_index(tmp_path, db_path)


# ------------------------------------------------------------------ bad values that must not pass silently


def test_nan_value_is_a_validation_problem(run: Any, mini_data: Path, edit: Edit) -> None:
    line = edit(
        mini_data / "claims.yaml",
        "value: {kind: quantity, value: 77, unit: percent}",
        "value: {kind: quantity, value: .nan, unit: percent}",
    )
    code, out, _ = run("validate", "--data", mini_data, "-f", "json")
    assert code == 1
    assert any(p["path"].endswith("claims.yaml") and p["line"] == line for p in json.loads(out))


def test_boolean_sample_size_is_a_wrong_type(run: Any, mini_data: Path, edit: Edit) -> None:
    line = edit(mini_data / "sources.yaml", "n: 61", "n: true")
    code, out, _ = run("validate", "--data", mini_data, "-f", "json")
    assert code == 1
    assert any(p["code"] == "schema" and p["line"] == line for p in json.loads(out))


# ------------------------------------------------------------------ end to end, as a user runs it


def test_subprocess_malformed_yaml_no_traceback(mini_data: Path, tmp_path: Path, db_path: Path) -> None:
    (mini_data / "claims.yaml").write_text("claims: [\n  - id: x\n", encoding="utf-8")
    env_free = {key: value for key, value in os.environ.items() if not key.startswith("KB_")}
    for command in (["validate"], ["search", "x", "--db", str(db_path)]):
        done = subprocess.run(
            [sys.executable, "-m", "kb", *command, "--data", str(mini_data)],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            env=env_free,
            timeout=120,
        )
        assert done.returncode == 2
        assert done.stdout == ""
        assert "Traceback" not in done.stderr
        match = one_error(done.stderr)
        assert match["path"].endswith("claims.yaml")
        assert "malformed YAML" in match["message"]
    assert_no_index(tmp_path, db_path)
