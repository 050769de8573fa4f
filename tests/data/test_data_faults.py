"""Data validated for what it claims: quotes the sources really say, page files inside the data folder, numbers
within sane bounds, IN lists any SQLite accepts, and data files kb can actually read.

Every case ends in one located line: a `path:line:col: code: message (fix: …)` problem from `kb validate` (exit 1)
or a `kb: error: path:line:col: message` (exit 2). Never a traceback, a hang, or a changed data file. Cases that
tests/test_bad_input.py already covers (nan values, boolean `n`, a quote outside its named finding, a page file
that is not UTF-8, a missing claims.yaml) are not repeated here.
"""

from __future__ import annotations

import io
import json
import os
import re
import signal
import sqlite3
import stat
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from kb.query.search import search
from kb.store.db import SqliteDatabase
from kb.store.knowledge import MAX_SENTENCE_WORDS, KnowledgeView

Edit = Callable[[Path, str, str], int]
Run = Callable[..., tuple[int, str, str]]

PROBLEM_LINE = re.compile(r"^(?P<path>\S+?):(?P<line>\d+):(?P<column>\d+): (?P<code>[a-z-]+): (?P<message>.+)$")
LOCATED_ERROR = re.compile(r"^kb: error: (?P<path>\S+?):(?P<line>\d+):(?P<column>\d+): (?P<message>.+) \(fix: .+\)$")
QUOTE = "Forty-eight (77%) of the 61 patients were immediate responders."
SECRET = "KB_TEST_SECRET=do-not-print-me-7f3a"
NOBODY = 65534


# ------------------------------------------------------------------ helpers


def snapshot(folder: Path) -> dict[str, bytes]:
    """The bytes of every regular file under a folder (FIFOs and devices are not read)."""
    found = {}
    for path in sorted(folder.rglob("*")):
        if not path.is_symlink() and stat.S_ISREG(path.lstat().st_mode):
            found[str(path.relative_to(folder))] = path.read_bytes()
    return found


@pytest.fixture
def unchanged(mini_data: Path, tmp_path: Path) -> Iterator[Callable[[], None]]:
    """Call once the test has broken the data: the test then fails if kb changed any file afterwards."""
    taken: dict[str, dict[str, bytes]] = {}

    def take() -> None:
        taken["before"] = snapshot(tmp_path)

    yield take
    assert "before" in taken, "the test never took its snapshot"
    after = snapshot(tmp_path)
    changed = {name for name in taken["before"] if after.get(name) != taken["before"][name]}
    assert not changed, f"kb changed data files: {sorted(changed)}"


def problems(out: str, err: str) -> list[re.Match[str]]:
    """The located problem lines of `kb validate`; every line of its output must be one."""
    assert "Traceback" not in out + err
    found = [PROBLEM_LINE.match(line) for line in out.splitlines()]
    assert found and all(found), out
    return [match for match in found if match]


def one_problem(out: str, err: str, code: str) -> re.Match[str]:
    found = [match for match in problems(out, err) if match["code"] == code]
    assert len(found) == 1, out
    assert "(fix: " in found[0]["message"]
    return found[0]


def one_error(out: str, err: str) -> re.Match[str]:
    assert "Traceback" not in out + err
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1, err
    match = LOCATED_ERROR.match(lines[0])
    assert match, lines[0]
    return match


def kb_subprocess(args: list[object], cwd: Path, timeout: float = 60, **extra: Any) -> tuple[int, str, str]:
    """`python -m kb …` in a child process: for inputs that could hang an in-process run (FIFOs, devices)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("KB_")}
    done = subprocess.run(
        [sys.executable, "-m", "kb", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=timeout,
        **extra,
    )
    return done.returncode, done.stdout, done.stderr


def line_of(path: Path, needle: str) -> int:
    text = path.read_text(encoding="utf-8")
    return text.count("\n", 0, text.index(needle)) + 1


# ------------------------------------------------------------------ 1. a source quote must be the source's words


def _unlink_finding(mini: Path, edit: Edit, quote: str) -> int:
    """Drop the claim's `finding:` (no bundled claim sets one) and write `quote` as its source quote."""
    return edit(
        mini / "claims.yaml",
        f'        finding: immediate-responders\n        quote: "{QUOTE}"',
        f'        quote: "{quote}"',
    )


def test_a_source_quote_the_source_never_said_is_a_problem(
    run: Run, mini_data: Path, edit: Edit, unchanged: Callable[[], None]
) -> None:
    line = _unlink_finding(mini_data, edit, "Fifty (82%) of the 61 patients were immediate responders.")
    unchanged()
    code, out, err = run("validate", "--data", mini_data)
    assert code == 1
    problem = one_problem(out, err, "quote-not-in-source")
    assert problem["path"].endswith("claims.yaml")
    assert (int(problem["line"]), int(problem["column"])) == (line, 9)
    assert "responders: quote is not in the recorded text" in problem["message"]
    assert "source schwenk-2018" in problem["message"]
    assert f"did you mean {QUOTE!r} (finding immediate-responders)?" in problem["message"]
    code, out, err = run("validate", "--data", mini_data, "--format", "json")
    assert code == 1
    [found] = [p for p in json.loads(out) if p["code"] == "quote-not-in-source"]
    assert found["line"] == line and "immediate-responders" in found["hint"]


@pytest.mark.parametrize(
    "quote",
    [
        QUOTE,
        "“Forty-eight (77%) of the 61   patients”"[1:-1],  # spacing: normalised
        "Forty-eight (77%) … immediate responders.",  # an ellipsis marks an omission
        "Ketamine for Refractory Headache: A Retrospective Analysis.",  # the title, with the record's full stop
    ],
    ids=["verbatim", "whitespace", "ellipsis", "title"],
)
def test_a_verbatim_source_quote_is_valid(run: Run, mini_data: Path, edit: Edit, quote: str) -> None:
    _unlink_finding(mini_data, edit, quote)
    code, out, err = run("validate", "--data", mini_data)
    assert (code, out) == (0, ""), out


@pytest.mark.parametrize(
    "quote",
    ["immediate responders … Forty-eight (77%)", "Forty-eight (77%) … all responders."],
    ids=["parts-out-of-order", "a-part-not-said"],
)
def test_an_ellipsis_does_not_excuse_words_the_source_never_said(
    run: Run, mini_data: Path, edit: Edit, quote: str
) -> None:
    _unlink_finding(mini_data, edit, quote)
    code, out, err = run("validate", "--data", mini_data)
    assert code == 1
    one_problem(out, err, "quote-not-in-source")


def test_a_quote_of_a_source_without_findings_says_to_record_them(run: Run, mini_data: Path, edit: Edit) -> None:
    edit(mini_data / "claims.yaml", "      - source: schwenk-2018\n", "      - source: asa-2017-press-release\n")
    _unlink_finding(mini_data, edit, "Ketamine helps almost everyone.")
    code, out, err = run("validate", "--data", mini_data)
    assert code == 1
    assert "asa-2017-press-release" in one_problem(out, err, "quote-not-in-source")["message"]


# ------------------------------------------------------------------ 2. page files stay inside the data folder


def _outside_dotenv(mini: Path, edit: Edit) -> str:
    (mini.parent / ".env").write_text(SECRET + "\n", encoding="utf-8")
    edit(mini / "pages.yaml", "file: pages/clinic.txt", "file: ../.env")
    return "points outside the data folder"


def _absolute(mini: Path, edit: Edit) -> str:
    (mini.parent / ".env").write_text(SECRET + "\n", encoding="utf-8")
    edit(mini / "pages.yaml", "file: pages/clinic.txt", f"file: {mini.parent / '.env'}")
    return "is an absolute path"


def _symlink_out(mini: Path, edit: Edit) -> str:
    (mini.parent / ".env").write_text(SECRET + "\n", encoding="utf-8")
    (mini / "pages" / "clinic.txt").unlink()
    (mini / "pages" / "clinic.txt").symlink_to(mini.parent / ".env")
    return "points outside the data folder through a symbolic link"


def _fifo_outside(mini: Path, edit: Edit) -> str:
    os.mkfifo(mini.parent / "outside.fifo")  # reading it would block forever: the check must come first
    edit(mini / "pages.yaml", "file: pages/clinic.txt", "file: pages/../../outside.fifo")
    return "points outside the data folder"


ESCAPES = {"dotdot-env": _outside_dotenv, "absolute": _absolute, "symlink-out": _symlink_out, "fifo": _fifo_outside}


@pytest.mark.parametrize("case", ESCAPES.values(), ids=ESCAPES.keys())
def test_a_page_file_outside_the_data_folder_is_never_read(
    case: Any, mini_data: Path, tmp_path: Path, edit: Edit, unchanged: Callable[[], None]
) -> None:
    fragment = case(mini_data, edit)
    edit(mini_data / "claims.yaml", "almost 75 percent of patients improved", "KB_TEST_SECRET=do-not-print")
    unchanged()
    code, out, err = kb_subprocess(["validate", "--data", mini_data], tmp_path)
    assert code == 1
    problem = one_problem(out, err, "page-file-outside")
    assert problem["path"].endswith("pages.yaml")
    assert int(problem["line"]) == line_of(mini_data / "pages.yaml", "    file: ")
    assert fragment in problem["message"]
    assert "do-not-print-me" not in out + err  # the file's text is never shown, not even as "closest text"
    assert not [p for p in problems(out, err) if p["code"] == "quote-not-found"]


@pytest.mark.parametrize("kind", ["fifo", "directory"])
def test_a_page_file_that_is_not_a_regular_file_is_not_opened(
    kind: str, mini_data: Path, tmp_path: Path, unchanged: Callable[[], None]
) -> None:
    page = mini_data / "pages" / "clinic.txt"
    page.unlink()
    os.mkfifo(page) if kind == "fifo" else page.mkdir()
    unchanged()
    code, out, err = kb_subprocess(["validate", "--data", mini_data], tmp_path)
    assert code == 1
    problem = one_problem(out, err, "page-file")
    expected = "is a named pipe (FIFO)" if kind == "fifo" else "is a directory"
    assert f"pages/clinic.txt: {expected}, not a page file" in problem["message"]


# ------------------------------------------------------------------ 3. numbers within sane bounds


def _thirty_digit_n(d: Path, edit: Edit) -> tuple[int, str]:
    return edit(d / "sources.yaml", "n: 61", "n: " + "9" * 30), "sources.0.n: Input should be less than or equal"


def _zero_n(d: Path, edit: Edit) -> tuple[int, str]:
    return edit(d / "sources.yaml", "n: 61", "n: 0"), "sources.0.n: Input should be greater than or equal to 1"


def _infinite_figure(d: Path, edit: Edit) -> tuple[int, str]:
    return edit(d / "sources.yaml", "{value: 77, unit: percent}", "{value: .inf, unit: percent}"), "finite number"


def _huge_value(d: Path, edit: Edit) -> tuple[int, str]:
    line = edit(
        d / "claims.yaml", "{kind: quantity, value: 77, unit: percent}", "{kind: quantity, value: 1e300, unit: percent}"
    )
    return line, "claims.0.value.value: Input should be less than or equal to 1000000000000000"


def _huge_integer_value(d: Path, edit: Edit) -> tuple[int, str]:
    line = edit(
        d / "claims.yaml",
        "{kind: quantity, value: 77, unit: percent}",
        "{kind: quantity, value: " + "7" * 300 + ", unit: percent}",
    )
    return line, "claims.0.value.value: Input should be less than or equal"


def _inverted_figure(d: Path, edit: Edit) -> tuple[int, str]:
    return edit(
        d / "sources.yaml", "{value: 77, unit: percent}", "{low: 80, high: 70, unit: percent}"
    ), "above its high"


def _month_13(d: Path, edit: Edit) -> tuple[int, str]:
    return edit(d / "sources.yaml", 'issued: "2018-11"', 'issued: "2018-13"'), "'2018-13' is not a calendar date"


def _accessed_february_30(d: Path, edit: Edit) -> tuple[int, str]:
    line = edit(d / "sources.yaml", 'issued: "2018-11"', 'issued: "2018-11"\n    accessed: "2026-02-30"')
    return line + 1, "'2026-02-30' is not a calendar date"


def _year_0000(d: Path, edit: Edit) -> tuple[int, str]:
    return edit(d / "sources.yaml", 'issued: "2018-11"', 'issued: "0000"'), "year 0 is outside"


OUT_OF_BOUNDS = {
    "thirty-digit-n": _thirty_digit_n,
    "zero-n": _zero_n,
    "infinite-figure": _infinite_figure,
    "huge-value": _huge_value,
    "300-digit-value": _huge_integer_value,
    "figure-low-above-high": _inverted_figure,
    "accessed-february-30": _accessed_february_30,
    "month-13": _month_13,
    "year-0000": _year_0000,
}


@pytest.mark.parametrize("case", OUT_OF_BOUNDS.values(), ids=OUT_OF_BOUNDS.keys())
def test_a_number_out_of_bounds_is_a_schema_problem_and_never_reaches_the_index(
    case: Any, run: Run, mini_data: Path, db_path: Path, edit: Edit, unchanged: Callable[[], None]
) -> None:
    line, fragment = case(mini_data, edit)
    unchanged()
    code, out, err = run("validate", "--data", mini_data)
    assert code == 1
    problem = one_problem(out, err, "schema")
    assert int(problem["line"]) == line
    assert fragment in problem["message"]
    code, out, err = run("search", "responders", "--data", mini_data, "--db", db_path)
    assert code == 2  # before: a 30-digit n validated, then the index write overflowed SQLite's integer
    assert int(one_error(out, err)["line"]) == line
    assert not db_path.exists()


@pytest.mark.parametrize(
    ("number", "fragment"),
    [("9" * 5000, "integer too long (5,000 characters)"), ("0x" + "f" * 400, "integer too large (1,600 bits)")],
    ids=["5000-digit-decimal", "1600-bit-hex"],
)
def test_an_integer_python_cannot_hold_as_a_number_is_a_located_error(
    number: str, fragment: str, run: Run, mini_data: Path, edit: Edit, unchanged: Callable[[], None]
) -> None:
    line = edit(mini_data / "sources.yaml", "n: 61", f"n: {number}")
    unchanged()
    for command in (["validate"], ["pages"]):
        code, out, err = run(*command, "--data", mini_data)
        assert code == 2
        error = one_error(out, err)
        assert error["path"].endswith("sources.yaml")
        assert (int(error["line"]), int(error["column"])) == (line, len("    n: ") + 1)
        assert error["message"].startswith(fragment)


# ------------------------------------------------------------------ 4. IN lists any SQLite accepts


@pytest.fixture
def built(run: Run, mini_data: Path, db_path: Path) -> Path:
    code, _, err = run("index", "--data", mini_data, "--db", db_path)
    assert code == 0, err
    return db_path


def _old_sqlite(db_path: Path) -> SqliteDatabase:
    """The index opened as an SQLite build limited to 999 variables (before 3.32) would open it."""
    if not hasattr(sqlite3.Connection, "setlimit"):
        pytest.skip("sqlite3.Connection.setlimit needs Python 3.11")
    db = SqliteDatabase(str(db_path))
    db.connection.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 999)
    return db


def test_in_lists_are_chunked_for_any_sqlite_build(built: Path) -> None:
    many = [f"w{i:06d}" for i in range(260_000)]
    view = KnowledgeView(_old_sqlite(built))
    assert view.selective_terms([*many, "responders"]) == {}  # 'responders' lies past the per-sentence cap
    terms = view.selective_terms(["responders", *many])
    assert len(terms) == 1
    assert view._terms.keys() <= {*many[:MAX_SENTENCE_WORDS], "responders"}  # the cache stays bounded too
    rowids = [row[0] for row in view.db.rows("SELECT rowid FROM kb_claim")]
    assert len(view.claims([*rowids, *range(10**6, 10**6 + 5000)])) == len(rowids)
    scores, _ = view.candidates([], [*terms, *range(10**6, 10**6 + 5000)])
    assert scores and set(scores) <= set(rowids)
    hits = search(view.db, " ".join(["responders", *many[:3000]]))
    assert [hit.claim_id for hit in hits][:1] == ["responders"]


def test_check_of_a_sentence_with_many_distinct_words(run: Run, built: Path, mini_data: Path, tmp_path: Path) -> None:
    """The issue's case, scaled down to keep the suite quick: before, SQLite parsed one IN list of every word of the
    sentence (quadratic in the number of named variables) and refused it past its variable limit."""
    page = tmp_path / "one-sentence.txt"
    page.write_text(" ".join(f"w{i:06d}" for i in range(40_000)) + ".\n", encoding="utf-8")
    before = page.read_bytes()
    code, out, err = run("check", page, "--format", "json", "--fail-on", "none", "--data", mini_data, "--db", built)
    assert code == 0, err
    assert json.loads(out) == []
    assert "Traceback" not in out + err
    assert page.read_bytes() == before


# ------------------------------------------------------------------ 5. data files kb can read


def _replace(path: Path, kind: str) -> None:
    path.unlink()
    if kind == "directory":
        path.mkdir()
    elif kind == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to("/dev/zero")  # endless: reading it would never finish


@pytest.mark.parametrize(
    ("kind", "fragment"),
    [("directory", "is a directory"), ("fifo", "is a named pipe (FIFO)"), ("device", "is a character device")],
)
def test_a_data_file_that_is_not_a_regular_file_is_a_located_error(
    kind: str, fragment: str, mini_data: Path, tmp_path: Path, unchanged: Callable[[], None]
) -> None:
    _replace(mini_data / "claims.yaml", kind)
    unchanged()
    code, out, err = kb_subprocess(["validate", "--data", mini_data], tmp_path)
    assert code == 2
    error = one_error(out, err)
    assert error["path"].endswith("claims.yaml")
    assert error["message"] == f"{fragment}, not a YAML file"


def _as_nobody(args: list[object], cwd: Path) -> tuple[int, str, str]:
    """Run kb as user nobody: root reads files whatever their mode. A child process when the interpreter is
    reachable for nobody; otherwise (a Python under /root) a fork of this process that drops to nobody and runs kb
    in-process with everything already imported."""
    try:
        return kb_subprocess(args, cwd, preexec_fn=lambda: os.setuid(NOBODY))
    except PermissionError:
        pass
    from kb.cli.main import run as kb_run

    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child
            code = 70
            try:
                signal.alarm(60)
                os.chdir(cwd)
                os.setuid(NOBODY)
                sys.stdout = io.TextIOWrapper(os.fdopen(os.dup(out.fileno()), "wb"), write_through=True)
                sys.stderr = io.TextIOWrapper(os.fdopen(os.dup(err.fileno()), "wb"), write_through=True)
                code = kb_run([str(arg) for arg in args])
            finally:
                for stream in (sys.stdout, sys.stderr):
                    stream.flush()
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        out.seek(0)
        err.seek(0)
        return os.waitstatus_to_exitcode(status), out.read().decode(), err.read().decode()


@pytest.mark.skipif(not hasattr(os, "getuid") or os.getuid() != 0, reason="needs root to switch to user nobody")
def test_an_unreadable_data_file_is_a_located_error(run: Run, mini_data: Path) -> None:
    code, _, err = run("validate", "--data", mini_data)  # imports everything kb validate needs, as root
    assert code == 0, err
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        os.chmod(root, 0o755)
        data = root / "mini"
        data.mkdir(mode=0o755)
        for path in sorted(mini_data.rglob("*")):
            target = data / path.relative_to(mini_data)
            if path.is_dir():
                target.mkdir(mode=0o755)
            else:
                target.write_bytes(path.read_bytes())
                os.chmod(target, 0o644)
        os.chmod(data / "pages", 0o755)
        os.chmod(data / "sources.yaml", 0o600)  # root's only
        before = snapshot(data)
        code, out, err = _as_nobody(["validate", "--data", data], root)
        assert snapshot(data) == before
    assert code == 2, err
    error = one_error(out, err)
    assert error["path"].endswith("sources.yaml")
    assert error["message"] == "permission denied"


def test_an_unknown_unit_says_exactly_what_to_declare(run: Run, mini_data: Path, edit: Edit) -> None:
    edit(mini_data / "claims.yaml", "unit: hour", "unit: infusion")  # a unit kb once shipped for one topic
    code, out, err = run("validate", "--data", mini_data)
    assert code == 1
    problem = one_problem(out, err, "bad-value")
    assert "unknown unit 'infusion'" in problem["message"]
    assert "`units: {counted: [infusions]}`" in problem["message"]
    claims = mini_data / "claims.yaml"
    claims.write_text("units:\n  counted: [infusions]\n" + claims.read_text(encoding="utf-8"), encoding="utf-8")
    assert run("validate", "--data", mini_data)[0] == 0


def test_a_subject_dimension_must_be_one_kb_reads(run: Run, mini_data: Path, edit: Edit) -> None:
    edit(mini_data / "claims.yaml", "dimension: time", "dimension: toxin-units")
    code, out, err = run("validate", "--data", mini_data)
    assert code == 1
    assert "unknown dimension 'toxin-units'" in one_problem(out, err, "bad-value")["message"]
    claims = mini_data / "claims.yaml"
    declared = "units:\n  words:\n    - {word: U, dimension: toxin-units}\n"
    claims.write_text(declared + claims.read_text(encoding="utf-8"), encoding="utf-8")
    assert run("validate", "--data", mini_data)[0] == 0
