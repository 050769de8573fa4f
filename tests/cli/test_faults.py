"""The fault suite: `kb` under hostile and unlucky input, run as a user runs it (the real console script, in a
subprocess), one test per class of fault.

Every case asserts the exit code of the contract (0 clean, 1 findings, 2 cannot run, 3 internal error, 130
interrupted), that a failure is one `kb: error: …` line with no traceback, that nothing hangs (every run has a
timeout), and that no file the user owns changed. Data-file faults are in test_bad_input.py and
test_data_faults.py; reader properties (arbitrary text) in test_properties.py.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kb.data.yamlload import load_text
from kb.errors import KBError, outcome

ROOT = Path(__file__).resolve().parents[2]
MINI = Path(__file__).parents[1] / "fixtures" / "mini"
CONTRACT = {0, 1, 2, 3, 130}
PAGE = "Researchers in Boston found that almost 75 percent of patients improved after one infusion.\n"


@dataclass(frozen=True)
class Ran:
    code: int
    out: str
    err: str

    def error_line(self) -> str:
        """The single line on stderr, which must be a one-line `kb: error:` message."""
        lines = [line for line in self.err.splitlines() if line.strip()]
        assert len(lines) == 1, f"expected one line on stderr, got {self.err!r}"
        assert lines[0].startswith("kb: error: "), lines[0]
        return lines[0]


def kb(
    *args: object,
    cwd: Path,
    stdin: bytes | int | None = None,
    timeout: float = 60,
    unprivileged: bool = False,
    stdout: int | None = None,
    env: dict[str, str] | None = None,
) -> Ran:
    """Run the installed `kb` entry point; never more than `timeout` seconds (a hang fails the test)."""
    environment = {k: v for k, v in os.environ.items() if k not in ("KB_DATA", "KB_DATABASE_URL", "KB_DEBUG")}
    environment |= {"NO_COLOR": "1", "COLUMNS": "200"} | (env or {})
    command = [*(WITHOUT_DAC if unprivileged else []), sys.executable, "-m", "kb", *map(str, args)]
    feed = stdin if isinstance(stdin, bytes) else None
    done = subprocess.run(
        command,
        cwd=cwd,
        input=feed,
        stdin=stdin if isinstance(stdin, int) else (None if feed is not None else subprocess.DEVNULL),
        stdout=stdout if stdout is not None else subprocess.PIPE,
        stderr=subprocess.PIPE,
        timeout=timeout,
        env=environment,
        check=False,
    )
    out = done.stdout.decode("utf-8", "replace") if done.stdout else ""
    err = done.stderr.decode("utf-8", "replace")
    assert "Traceback" not in out + err, err
    assert done.returncode in CONTRACT, (done.returncode, err)
    return Ran(done.returncode, out, err)


def snapshot(folder: Path) -> dict[str, str]:
    """Every regular file under `folder` (but kb's own `.kb/`) with a hash of its bytes."""
    found = {}
    for path in sorted(folder.rglob("*")):
        if ".kb" in path.relative_to(folder).parts or not path.is_file() or path.is_symlink():
            continue
        found[str(path.relative_to(folder))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Path]:
    """A content project: data/ (the mini knowledge base), site/ with one page, kb.toml; checked for changes."""
    shutil.copytree(MINI, tmp_path / "data")
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "page.md").write_text(PAGE, encoding="utf-8")
    (tmp_path / "kb.toml").write_text('data = "data"\ncontent = ["site"]\n', encoding="utf-8")
    before = snapshot(tmp_path)
    yield tmp_path
    after = snapshot(tmp_path)
    changed = {name for name in before if after.get(name) != before[name]}
    assert not changed, f"user files changed: {sorted(changed)}"


@pytest.fixture
def built(project: Path) -> Path:
    """The project with its index built once."""
    assert kb("index", cwd=project).code == 0
    return project


def index_of(project: Path) -> Path:
    return project / ".kb" / "index.sqlite"


def kb_files(project: Path) -> set[str]:
    return {p.name for p in (project / ".kb").iterdir()} if (project / ".kb").exists() else set()


# ------------------------------------------------------------------------------------ the contract itself


def test_every_exception_has_one_exit_code_and_one_line() -> None:
    assert outcome(KBError("bad", "a.md", 3, 4, "fix it")) == (2, "kb: error: a.md:3:4: bad (fix: fix it)")
    assert outcome(KeyboardInterrupt())[0] == 130
    assert outcome(BrokenPipeError())[0] == 2
    assert outcome(PermissionError(13, "Permission denied", "/x/.kb/index.sqlite"))[0] == 2
    assert outcome(sqlite3.DatabaseError("database disk image is malformed"))[0] == 2
    code, message = outcome(ZeroDivisionError("division by zero"))
    assert code == 3 and "\n" not in message
    assert message.startswith("kb: internal error: ZeroDivisionError: division by zero") and "--debug" in message


INTERNAL_ERROR = """
import sys
import kb.query.cards
def broken(*args, **kwargs):
    raise ZeroDivisionError("division by zero")
kb.query.cards.claim_card = broken  # a bug, planted where `kb show` calls it
from kb.cli.main import main
sys.argv = ["kb", *sys.argv[1:]]
main()
"""


@pytest.mark.parametrize("debug", [False, True], ids=["plain", "debug"])
def test_an_internal_error_exits_3_with_one_line_and_the_traceback_only_when_asked(built: Path, debug: bool) -> None:
    args = [sys.executable, "-c", INTERNAL_ERROR, "show", "responders", *(["--debug"] if debug else [])]
    done = subprocess.run(args, cwd=built, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 3
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("kb: internal error: ZeroDivisionError: division by zero")
    assert ("Traceback" in done.stderr) is debug
    if not debug:
        assert len(done.stderr.strip().splitlines()) == 1


def test_ctrl_c_exits_130(project: Path) -> None:
    """Interrupted while it waits for a page on standard input: the wait lasts until the signal comes, so the test
    does not race a check that may finish first on a fast machine."""
    kb("index", cwd=project)
    process = subprocess.Popen(
        [sys.executable, "-m", "kb", "check", "-", "--stdin-filename", "site/p.md", "--fail-on", "none"],
        cwd=project, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        # A background job inherits SIGINT ignored, and Python then never turns it into KeyboardInterrupt.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )  # fmt: skip
    assert process.stdin is not None
    process.stdin.write(PAGE.encode())  # part of a page; the rest never comes
    process.stdin.flush()
    time.sleep(3.0)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert "Traceback" not in err.decode()
    assert process.returncode == 130, err.decode()
    assert err.decode().strip() == "kb: interrupted"


# ------------------------------------------------------------------------------------------------ options


@pytest.mark.parametrize(
    "args",
    [
        ("check", "--no-such-option"),
        ("check", "--fail-on", "sometimes"),
        ("check", "--jobs", "0"),
        ("check", "--format", "pdf"),
        ("contradictions", "--fail-on", "loud"),
        ("search", "x", "--limit", "0"),
        ("show", "no-such-claim"),
        ("cite", "responders", "--style", "chicago"),
    ],
    ids=["unknown-option", "fail-on", "jobs", "format", "contradictions-fail-on", "limit", "unknown-id", "style"],
)
def test_bad_options_exit_2(built: Path, args: tuple[str, ...]) -> None:
    assert kb(*args, cwd=built).code == 2


# --------------------------------------------------------------------------------- database URLs and paths


@pytest.mark.parametrize(
    "make",
    [
        lambda p: _write(p / "notes.txt", b"my notes\n"),
        lambda p: "data/claims.yaml",
        lambda p: "site/page.md",
        lambda p: _foreign_sqlite(p / "other.sqlite") or "other.sqlite",
        lambda p: _write(p / "empty.db", b""),
    ],
    ids=["text-file", "claims-yaml", "page", "foreign-sqlite", "empty-file"],
)
def test_db_never_overwrites_a_file_that_is_not_a_kb_index(project: Path, make: Callable[[Path], str]) -> None:
    name = make(project)
    before = (project / name).read_bytes()
    ran = kb("search", "infusion", "--db", name, cwd=project)
    assert ran.code == 2 and "not a kb index" in ran.error_line()
    assert (project / name).read_bytes() == before


def _write(path: Path, data: bytes) -> str:
    path.write_bytes(data)
    return path.name


def _foreign_sqlite(path: Path) -> None:
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE notes (body TEXT)")
        connection.execute("INSERT INTO notes VALUES ('keep me')")
    connection.close()


def test_db_may_point_at_a_new_path_and_reuse_it(project: Path) -> None:
    assert kb("search", "infusion", "--db", "mine.sqlite", cwd=project).code == 0
    assert kb("search", "infusion", "--db", "mine.sqlite", "--format", "json", cwd=project).code == 0
    assert (project / "mine.sqlite.stamp").is_file()
    (project / "mine.sqlite").unlink()
    (project / "mine.sqlite.stamp").unlink()


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("mysql://user@host/kb", "unsupported database URL scheme"),
        ("postgresql+pg8000://user@host/kb", "unsupported database driver"),
        ("sqlite:///:memory:", "needs a file path"),
    ],
    ids=["scheme", "driver", "memory"],
)
def test_unusable_database_urls_exit_2(project: Path, url: str, words: str) -> None:
    ran = kb("search", "infusion", "--db", url, cwd=project)
    assert ran.code == 2 and words in ran.error_line()


def test_a_missing_postgresql_driver_says_how_to_install_it(project: Path) -> None:
    hide_driver = "import sys; sys.modules['psycopg'] = None; sys.argv[0] = 'kb'; from kb.cli.main import main; main()"
    args = [sys.executable, "-c", hide_driver, "search", "x", "--db", "postgresql://kb@localhost/kb"]
    done = subprocess.run(args, cwd=project, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "driver (psycopg) is not installed" in done.stderr and "[postgres]" in done.stderr


def test_a_kb_folder_that_is_a_file(project: Path) -> None:
    (project / ".kb").write_text("not a folder\n", encoding="utf-8")
    ran = kb("search", "infusion", cwd=project)
    assert ran.code == 2 and "is a file, not a folder" in ran.error_line()
    assert (project / ".kb").read_text(encoding="utf-8") == "not a folder\n"
    (project / ".kb").unlink()


def test_an_index_path_that_is_a_folder(project: Path) -> None:
    (project / ".kb" / "index.sqlite").mkdir(parents=True)
    ran = kb("search", "infusion", cwd=project)
    assert ran.code == 2 and "is a directory" in ran.error_line()


def test_an_index_path_that_is_a_fifo_does_not_hang(project: Path) -> None:
    os.mkfifo(project / "index.fifo")
    ran = kb("search", "infusion", "--db", "index.fifo", cwd=project, timeout=30)
    assert ran.code == 2 and "named pipe" in ran.error_line()


# ------------------------------------------------------------------------------------------- index faults


def test_a_damaged_index_is_rebuilt(built: Path) -> None:
    index_of(built).write_bytes(b"garbage, not a database" * 500)
    assert kb("search", "infusion", "--format", "json", cwd=built).code == 0
    assert sqlite3.connect(index_of(built)).execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_truncated_index_is_rebuilt(built: Path) -> None:
    data = index_of(built).read_bytes()
    index_of(built).write_bytes(data[: len(data) // 2])
    ran = kb("search", "infusion", "--format", "json", cwd=built)
    assert ran.code == 0 and json.loads(ran.out)


def test_a_damaged_journal_beside_the_index_is_ignored_and_removed_by_a_rebuild(built: Path) -> None:
    journal = index_of(built).with_name("index.sqlite-journal")
    journal.write_bytes(b"\xd9\xd5\x05\xf9\x20\xa1\x63\xd7" + os.urandom(4000))  # a hot journal's magic, then noise
    assert kb("search", "infusion", "--format", "json", cwd=built).code == 0
    assert kb("check", "site", "--format", "json", "--fail-on", "none", cwd=built).code == 0
    assert kb("index", "--rebuild", cwd=built).code == 0
    assert not journal.exists()
    assert kb("search", "infusion", cwd=built).code == 0


def test_an_index_of_another_knowledge_base_is_replaced(built: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    other = tmp_path_factory.mktemp("other")
    shutil.copytree(MINI, other / "data")
    claims = other / "data" / "claims.yaml"
    claims.write_text(claims.read_text(encoding="utf-8").replace("not addictive", "not habit-forming"), "utf-8")
    assert kb("index", cwd=other).code == 0
    shutil.copy(index_of(other), index_of(built))  # a foreign index dropped in place, stamp left behind
    ran = kb("search", "habit-forming", "--format", "json", cwd=built)
    assert ran.code == 0 and not any("habit-forming" in hit["statement"] for hit in json.loads(ran.out))


def test_an_outdated_schema_is_rebuilt(built: Path) -> None:
    path = built / "old.sqlite"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE kb_meta (key TEXT PRIMARY KEY, value TEXT)")
        connection.execute("INSERT INTO kb_meta VALUES ('schema_version', '1')")
    connection.close()
    assert kb("search", "infusion", "--db", "old.sqlite", "--format", "json", cwd=built).code == 0
    version = sqlite3.connect(path).execute("SELECT value FROM kb_meta WHERE key = 'schema_version'").fetchone()
    assert version[0] != "1"
    for leftover in built.glob("old.sqlite*"):
        leftover.unlink()


def test_a_damaged_stamp_is_harmless(built: Path) -> None:
    index_of(built).with_name("index.sqlite.stamp").write_bytes(b"\x00{not json")
    assert kb("search", "infusion", "--format", "json", cwd=built).code == 0
    assert json.loads(index_of(built).with_name("index.sqlite.stamp").read_text())["tool"] == "kb"


def test_a_same_size_edit_that_keeps_the_old_timestamp_is_seen(built: Path) -> None:
    sources = built / "data" / "sources.yaml"
    info = sources.stat()
    text = sources.read_text(encoding="utf-8")
    assert "n: 61" in text
    sources.write_text(text.replace("n: 61", "n: 62", 1), encoding="utf-8")
    os.utime(sources, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert sources.stat().st_size == info.st_size and sources.stat().st_mtime_ns == info.st_mtime_ns
    ran = kb("index", cwd=built)
    assert ran.code == 0 and "rebuilt" in ran.err
    n = sqlite3.connect(index_of(built)).execute("SELECT n FROM kb_source WHERE id = 'schwenk-2018'").fetchone()[0]
    sources.write_text(text, encoding="utf-8")
    assert n == 62


def test_temporary_files_of_a_dead_build_are_removed(built: Path) -> None:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    pid = int(dead.stdout)  # a process that has exited
    orphans = [built / ".kb" / f".index.sqlite.{pid}.tmp", built / ".kb" / f".index.sqlite.{pid}.tmp-journal"]
    for orphan in orphans:
        orphan.write_bytes(b"\0" * 4096)
    assert kb("search", "infusion", "--format", "json", cwd=built).code == 0
    assert not any(orphan.exists() for orphan in orphans)


def test_kill_9_during_a_rebuild_leaves_a_working_index_and_no_orphan(tmp_path: Path) -> None:
    """CI size: 1,000 claims (bench/bench_faults.py kills 20 rebuilds at 10,000)."""
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from corpus.knowledge import Generator
    finally:
        sys.path.remove(str(ROOT / "bench"))
    Generator(1000).write(tmp_path / "data")
    assert kb("index", cwd=tmp_path, timeout=300).code == 0
    started = time.monotonic()
    assert kb("index", "--rebuild", cwd=tmp_path, timeout=300).code == 0
    build_s = time.monotonic() - started
    for fraction in (0.3, 0.6, 0.85):
        process = subprocess.Popen([sys.executable, "-m", "kb", "index", "--rebuild"], cwd=tmp_path)
        time.sleep(build_s * fraction)
        process.kill()
        process.wait(timeout=60)
        ran = kb("search", "patients", "--format", "json", cwd=tmp_path, timeout=300)
        assert ran.code == 0 and json.loads(ran.out)
        assert kb_files(tmp_path) <= {"index.sqlite", "index.sqlite.stamp", "index.sqlite.lock", ".gitignore"}
        assert sqlite3.connect(index_of(tmp_path)).execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_concurrent_readers_while_the_data_is_rewritten(built: Path) -> None:
    """Four processes search and check in a loop while the data flips between two valid versions and is rebuilt:
    no run fails for any reason but a torn YAML read (exit 2 with a located message), none exits 3."""
    claims = built / "data" / "claims.yaml"
    original = claims.read_text(encoding="utf-8")
    edited = original.replace("Ketamine is not addictive.", "Ketamine is not habit-forming.")
    stop = time.monotonic() + 12
    codes: list[int] = []
    messages: list[str] = []

    def reader(args: tuple[str, ...]) -> None:
        while time.monotonic() < stop:
            ran = kb(*args, cwd=built, timeout=120)
            codes.append(ran.code)
            if ran.code >= 2:
                messages.append(ran.err)

    workers = [
        threading.Thread(target=reader, args=(("search", "addictive", "--format", "json"),)),
        threading.Thread(target=reader, args=(("search", "infusion", "--format", "json"),)),
        threading.Thread(target=reader, args=(("check", "site", "--format", "json", "--fail-on", "none"),)),
        threading.Thread(target=reader, args=(("contradictions", "site", "--format", "json", "--fail-on", "none"),)),
    ]
    for worker in workers:
        worker.start()
    flips = 0
    while time.monotonic() < stop:
        temporary = claims.with_name(".claims.yaml.tmp")
        temporary.write_text(edited if flips % 2 == 0 else original, encoding="utf-8")
        os.replace(temporary, claims)
        flips += 1
        time.sleep(0.7)
    for worker in workers:
        worker.join()
    claims.write_text(original, encoding="utf-8")
    assert flips >= 5 and len(codes) >= 8
    assert set(codes) <= {0}, messages
    assert kb_files(built) <= {"index.sqlite", "index.sqlite.stamp", "index.sqlite.lock", ".gitignore"}


# ------------------------------------------------------------------------------ pages kb cannot read


def _json_check(project: Path, *paths: str) -> tuple[int, list[dict[str, object]]]:
    ran = kb("check", *paths, "--format", "json", "--fail-on", "none", cwd=project, timeout=60)
    return ran.code, json.loads(ran.out)


def _input_errors(findings: list[dict[str, object]]) -> dict[str, str]:
    return {Path(str(f["path"])).name: str(f["message"]) for f in findings if f["rule"] == "input-error"}


@pytest.mark.parametrize(
    ("name", "make", "words"),
    [
        ("binary.md", lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), "binary file"),
        ("nul.txt", lambda p: p.write_bytes(b"Ketamine helps\x00 75 percent.\n"), "binary file"),
        ("utf16.md", lambda p: p.write_bytes(PAGE.encode("utf-16-le")), "UTF-16 text without a byte-order mark"),
        ("latin.html", lambda p: p.write_bytes(bytes(range(128, 256)) * 20), "not UTF-8 text"),
        ("fifo.md", lambda p: os.mkfifo(p), "named pipe"),
        ("zero.md", lambda p: p.symlink_to("/dev/zero"), "character device"),
        ("dangling.md", lambda p: p.symlink_to(p.with_name("gone.md")), "dangling symbolic link"),
        ("huge.txt", lambda p: p.write_bytes(PAGE.encode() * 120_000), "too large to check"),
    ],
    ids=["binary", "nul-bytes", "utf16-no-bom", "not-utf8", "fifo", "dev-zero", "dangling-symlink", "too-large"],
)
def test_a_page_kb_cannot_read_is_an_error_in_json_and_exit_2(
    project: Path, name: str, make: Callable[[Path], object], words: str
) -> None:
    make(project / "site" / name)
    code, findings = _json_check(project, "site")
    assert code == 2
    assert words in _input_errors(findings)[name]
    assert any(f["rule"] == "misattribution" for f in findings)  # the readable page is still checked
    explicit, findings = _json_check(project, f"site/{name}")
    assert explicit == 2 and name in _input_errors(findings)
    (project / "site" / name).unlink()


def test_utf16_with_a_byte_order_mark_is_read(project: Path) -> None:
    (project / "site" / "bom.txt").write_bytes(PAGE.encode("utf-16"))
    code, findings = _json_check(project, "site/bom.txt")
    assert code == 0 and {f["rule"] for f in findings} >= {"misattribution"}
    (project / "site" / "bom.txt").unlink()


def test_max_file_size_is_configurable(project: Path) -> None:
    (project / "site" / "long.md").write_text(PAGE * 30, encoding="utf-8")
    (project / "kb.toml").write_text('data = "data"\ncontent = ["site"]\nmax-file-size = "1 kB"\n', encoding="utf-8")
    code, findings = _json_check(project, "site")
    (project / "kb.toml").write_text('data = "data"\ncontent = ["site"]\n', encoding="utf-8")
    (project / "site" / "long.md").unlink()
    assert code == 2 and "limit is 1,024 bytes" in _input_errors(findings)["long.md"]


def test_unreadable_page_as_another_user(world_readable: Path) -> None:
    page = world_readable / "site" / "secret.md"
    page.write_text(PAGE, encoding="utf-8")
    page.chmod(0o000)
    ran = kb("check", "site", "--format", "json", "--fail-on", "none", cwd=world_readable, unprivileged=True)
    page.unlink()
    assert ran.code == 2 and "permission denied" in _input_errors(json.loads(ran.out))["secret.md"]


@pytest.mark.parametrize("fmt", ["line", "github", "text", "sarif"])
def test_every_format_shows_a_page_it_could_not_read(project: Path, fmt: str) -> None:
    (project / "site" / "binary.md").write_bytes(b"\x00\x01\x02")
    ran = kb("check", "site", "--format", fmt, "--fail-on", "none", cwd=project)
    (project / "site" / "binary.md").unlink()
    assert ran.code == 2
    if fmt == "line":
        assert "site/binary.md:1:1:error:input-error:cannot read this page: binary file" in ran.out
    elif fmt == "github":
        assert "::error file=site/binary.md,line=1,col=1" in ran.out and "binary file" in ran.out
    elif fmt == "text":
        assert "input-error" in ran.out and "binary file" in ran.out
    else:
        run = json.loads(ran.out)["runs"][0]
        assert run["invocations"][0]["executionSuccessful"] is False
        [note] = [n for n in run["invocations"][0]["toolExecutionNotifications"] if n["level"] == "error"]
        assert "binary file" in note["message"]["text"]
        assert note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "site/binary.md"
        assert all(result["ruleId"] != "input-error" for result in run["results"])
        schema = ROOT.parent / "shared" / "reference" / "sarif-schema-2.1.0.json"
        if schema.is_file():
            import jsonschema

            jsonschema.Draft4Validator(json.loads(schema.read_text(encoding="utf-8"))).validate(json.loads(ran.out))


def test_contradictions_reports_unreadable_pages_and_exits_2(project: Path) -> None:
    os.mkfifo(project / "site" / "pipe.md")
    ran = kb("contradictions", "site", "--format", "json", "--fail-on", "none", cwd=project, timeout=30)
    (project / "site" / "pipe.md").unlink()
    assert ran.code == 2 and [Path(e["path"]).name for e in json.loads(ran.out)["errors"]] == ["pipe.md"]


def test_a_baseline_never_hides_a_page_it_could_not_read(project: Path) -> None:
    (project / "site" / "binary.md").write_bytes(b"\x00\x01\x02")
    assert kb("check", "site", "--write-baseline", "b.json", cwd=project).code == 2  # refuses an incomplete baseline
    (project / "site" / "binary.md").unlink()
    assert kb("check", "site", "--write-baseline", "b.json", cwd=project).code == 0
    (project / "site" / "binary.md").write_bytes(b"\x00\x01\x02")
    code, findings = _json_check(project, "site", "--baseline", "b.json")
    (project / "site" / "binary.md").unlink()
    (project / "b.json").unlink()
    assert code == 2 and list(_input_errors(findings)) == ["binary.md"]


@pytest.mark.parametrize(
    "reference", ["&#1114112;", "&#xFFFFFFFF;", "&#xD800;", "&#0;", "&#99999999999999999999999999;", "&#x110000"]
)
@pytest.mark.parametrize("suffix", [".md", ".html", ".txt"])
def test_a_bad_numeric_character_reference_is_checked_like_any_page(project: Path, reference: str, suffix: str) -> None:
    page = project / "site" / f"refs{suffix}"
    text = f"<p>{PAGE.strip()} {reference} More text.</p>\n" if suffix == ".html" else f"{PAGE.strip()} {reference}\n"
    page.write_text(text, encoding="utf-8")
    code, findings = _json_check(project, f"site/refs{suffix}")
    page.unlink()
    assert code == 0 and any(f["rule"] == "misattribution" for f in findings)
    assert kb("validate", cwd=project).code == 0


# ------------------------------------------------------------------------------------------- stdin, stdout


def test_binary_stdin_exits_2(built: Path) -> None:
    ran = kb("check", "-", "--format", "json", cwd=built, stdin=b"\x00\x01\x02binary")
    assert ran.code == 2 and _input_errors(json.loads(ran.out)) == {
        "-": "cannot read this page: binary file (contains NUL bytes)"
    }


def test_closed_stdin_exits_2(built: Path) -> None:
    done = subprocess.run(
        f"exec {sys.executable} -m kb check - <&-", shell=True, cwd=built, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "standard input is closed" in done.stdout


def test_stdin_past_the_size_limit_exits_2(built: Path) -> None:
    ran = kb("check", "-", "--format", "json", cwd=built, stdin=PAGE.encode() * 120_000)
    assert ran.code == 2 and "too large" in _input_errors(json.loads(ran.out))["-"]


@pytest.mark.parametrize("command", ["check site", "search infusion", "contradictions site", "validate"])
def test_closed_stdout_exits_2(built: Path, command: str) -> None:
    done = subprocess.run(
        f"exec {sys.executable} -m kb {command} --fail-on none >&-".replace("validate --fail-on none", "validate")
        .replace("search infusion --fail-on none", "search infusion"),
        shell=True, cwd=built, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr and done.stderr.startswith("kb: error:")


@pytest.mark.parametrize("args", [("check", "site", "--format", "json", "--fail-on", "none"), ("search", "infusion")])
def test_a_reader_that_went_away_is_a_broken_pipe_not_a_crash(built: Path, args: tuple[str, ...]) -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)  # nobody will ever read: the first write fails with EPIPE
    try:
        ran = kb(*args, cwd=built, stdout=write_end)
    finally:
        os.close(write_end)
    assert ran.code == 2 and "broken pipe" in ran.error_line()


# ----------------------------------------------------------------------------------------------- baselines


def test_reading_and_writing_the_same_baseline_keeps_the_accepted_findings(built: Path) -> None:
    assert kb("check", "site", "--write-baseline", "b.json", cwd=built).code == 0
    accepted = json.loads((built / "b.json").read_text(encoding="utf-8"))["findings"]
    assert accepted
    ran = kb("check", "site", "--baseline", "b.json", "--write-baseline", "b.json", cwd=built)
    assert ran.code == 0
    assert json.loads((built / "b.json").read_text(encoding="utf-8"))["findings"] == accepted
    assert kb("check", "site", "--baseline", "b.json", cwd=built).code == 0
    (built / "b.json").unlink()


@pytest.mark.parametrize("target", ["kb.toml", "data/claims.yaml", "site/page.md"])
def test_write_baseline_never_replaces_a_file_that_is_not_a_baseline(built: Path, target: str) -> None:
    ran = kb("check", "site", "--write-baseline", target, cwd=built)
    assert ran.code == 2 and "not a kb baseline" in ran.error_line()


def test_a_baseline_that_is_a_fifo_does_not_hang(built: Path) -> None:
    os.mkfifo(built / "b.json")
    ran = kb("check", "site", "--baseline", "b.json", cwd=built, timeout=30)
    (built / "b.json").unlink()
    assert ran.code == 2 and "named pipe" in ran.error_line()


def test_no_temporary_baseline_is_left_behind(built: Path) -> None:
    assert kb("check", "site", "--write-baseline", "out/b.json", cwd=built).code == 0
    assert [p.name for p in (built / "out").iterdir()] == ["b.json"]
    shutil.rmtree(built / "out")


# -------------------------------------------------------------------------------------------- configuration


def test_a_config_file_that_is_a_fifo_does_not_hang(built: Path) -> None:
    os.mkfifo(built / "other.toml")
    ran = kb("check", "site", "--config", "other.toml", cwd=built, timeout=30)
    (built / "other.toml").unlink()
    assert ran.code == 2 and "named pipe" in ran.error_line()


@pytest.mark.parametrize(
    "line", ["threshold = nan", "recency-years = inf", 'max-file-size = "12 parsecs"', "max-file-size = 3"]
)
def test_config_values_out_of_bounds_exit_2(built: Path, line: str) -> None:
    (built / "kb.toml").write_text(f'data = "data"\ncontent = ["site"]\n{line}\n', encoding="utf-8")
    ran = kb("check", cwd=built)
    (built / "kb.toml").write_text('data = "data"\ncontent = ["site"]\n', encoding="utf-8")
    assert ran.code == 2 and "kb.toml:3" in ran.error_line()


# ---------------------------------------------------------------------------------------------------- data


def test_a_fifo_as_claims_yaml_does_not_hang(tmp_path: Path) -> None:
    shutil.copytree(MINI, tmp_path / "data")
    (tmp_path / "data" / "claims.yaml").unlink()
    os.mkfifo(tmp_path / "data" / "claims.yaml")
    for command in (("validate",), ("search", "x")):
        ran = kb(*command, "--data", "data", cwd=tmp_path, timeout=30)
        assert ran.code == 2 and "claims.yaml" in ran.error_line()


def test_special_files_in_the_data_folder_are_not_read(project: Path) -> None:
    os.mkfifo(project / "data" / "pages" / "pipe.txt")
    (project / "data" / "zero").symlink_to("/dev/zero")
    assert kb("search", "infusion", "--format", "json", cwd=project, timeout=60).code == 0
    (project / "data" / "pages" / "pipe.txt").unlink()
    (project / "data" / "zero").unlink()


def test_an_unreadable_data_file_as_another_user(world_readable: Path) -> None:
    extra = world_readable / "data" / "pages" / "private.txt"
    extra.write_text("private notes\n", encoding="utf-8")
    extra.chmod(0o000)
    ran = kb("search", "infusion", cwd=world_readable, unprivileged=True)
    extra.unlink()
    assert ran.code == 2 and "private.txt" in ran.error_line() and "permission denied" in ran.error_line()


def test_a_read_only_index_folder_as_another_user(world_readable: Path) -> None:
    assert kb("index", cwd=world_readable).code == 0
    (world_readable / ".kb").chmod(0o555)
    for path in (world_readable / ".kb").iterdir():
        path.chmod(0o444)
    assert kb("search", "infusion", "--format", "json", cwd=world_readable, unprivileged=True).code == 0  # fresh: reads
    claims = world_readable / "data" / "claims.yaml"
    claims.write_text(claims.read_text(encoding="utf-8").replace("not addictive", "not habit-forming"), "utf-8")
    ran = kb("search", "infusion", cwd=world_readable, unprivileged=True)
    claims.write_text(claims.read_text(encoding="utf-8").replace("not habit-forming", "not addictive"), "utf-8")
    (world_readable / ".kb").chmod(0o755)
    assert ran.code == 2 and "cannot write the index" in ran.error_line() and "writable" in ran.error_line()


# Root reads any file whatever its mode; without these two capabilities it is denied like any user, which is how
# these tests make a file unreadable or a folder read-only for kb.
WITHOUT_DAC = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--inh-caps=-dac_override,-dac_read_search"]


@pytest.fixture
def world_readable(project: Path) -> Path:
    """The project, for a kb run without root's power to ignore file modes; skipped where that cannot be had."""
    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        pytest.skip("needs root and setpriv, to run kb without the capability to override file modes")
    probe = subprocess.run([*WITHOUT_DAC, "true"], check=False)
    if probe.returncode != 0:
        pytest.skip("setpriv cannot drop capabilities here")
    return project


# ------------------------------------------------------------------------------------ the YAML loader, fuzzed


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=400))
def test_the_yaml_loader_raises_only_kb_errors(text: str) -> None:
    try:
        load_text(text, "fuzz.yaml")
    except KBError:
        pass


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(["a:", " b", "- c", "&x", "*x", "!!python/object:os.system", "[", "]", "{", "}", "9" * 5000,
                         "'", '"', "\n", "  ", "? k", ": v", "---", "...", "%YAML 1.1", "\t", "<<: *x", "!!binary"]),
        max_size=30,
    )
)  # fmt: skip
def test_the_yaml_loader_survives_yaml_shaped_noise(parts: list[str]) -> None:
    try:
        load_text("".join(parts), "fuzz.yaml")
    except KBError:
        pass
