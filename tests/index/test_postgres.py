"""The shared team deployment: the same commands against a real PostgreSQL server, started for this test module
from the server binaries on the machine (initdb, pg_ctl). Skipped, with the reason, where there are none."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kb.cli.app import app

DATA = Path(__file__).resolve().parents[2] / "data"
PORT = 54391


def _as_server_user(command: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: run its binaries as `nobody` then."""
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", "nobody", "--", *command]


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    if not (shutil.which("initdb") and shutil.which("pg_ctl")):
        pytest.skip("PostgreSQL server binaries (initdb, pg_ctl) are not on PATH")
    pytest.importorskip("psycopg")
    # Not under pytest's tmp_path: that is private to root, and the server runs as nobody.
    root = Path(tempfile.mkdtemp(prefix="kb-pg-"))
    if os.geteuid() == 0:
        shutil.chown(root, "nobody")
    data = root / "data"
    subprocess.run(_as_server_user(["initdb", "-D", str(data), "-U", "kb", "-A", "trust"]), check=True,
                   capture_output=True)  # fmt: skip
    options = f"-p {PORT} -k {root} -c listen_addresses= -c fsync=off"
    subprocess.run(_as_server_user(["pg_ctl", "-D", str(data), "-o", options, "-l", str(root / "log"), "-w", "start"]),
                   check=True, capture_output=True)  # fmt: skip
    try:
        yield f"postgresql+psycopg://kb@/postgres?host={root}&port={PORT}"
    finally:
        subprocess.run(_as_server_user(["pg_ctl", "-D", str(data), "-m", "immediate", "stop"]), capture_output=True)
        shutil.rmtree(root, ignore_errors=True)


def _run(url: str, *args: object, stdin: str | None = None) -> tuple[int, str, str]:
    runner = CliRunner(env={"KB_DATA": None, "KB_DATABASE_URL": None, "NO_COLOR": "1"})
    result = runner.invoke(app, [*map(str, args), "--data", str(DATA), "--db", url], input=stdin,
                           catch_exceptions=False)  # fmt: skip
    return result.exit_code, result.stdout, result.stderr


def test_contradictions_and_check_agree_with_sqlite(server: str, tmp_path: Path) -> None:
    sqlite = f"sqlite:///{tmp_path / 'index.sqlite'}"
    on_server = json.loads(_run(server, "contradictions", DATA / "pages", "--format", "json", "--fail-on", "none")[1])
    on_sqlite = json.loads(_run(sqlite, "contradictions", DATA / "pages", "--format", "json", "--fail-on", "none")[1])
    assert on_server == on_sqlite and on_server["summary"]["conflicts"] > 0
    page = "Each infusion takes about 3 hours.\n"
    checked = _run(server, "check", "-", "--format", "json", "--fail-on", "none", stdin=page)[1]
    assert checked == _run(sqlite, "check", "-", "--format", "json", "--fail-on", "none", stdin=page)[1]
    assert "figure-mismatch" in {f["rule"] for f in json.loads(checked)}  # against the source alone


def test_search_and_show_on_the_server(server: str) -> None:
    code, out, _ = _run(server, "search", "three out of four", "--format", "json")
    assert code == 0 and json.loads(out)[0]["claim_id"] == "jefferson-61-responders"
    code, out, _ = _run(server, "show", "jefferson-61-responders", "--format", "json")
    assert code == 0 and json.loads(out)["claim"]["id"] == "jefferson-61-responders"


def test_an_unreachable_server_is_one_line(tmp_path: Path) -> None:
    pytest.importorskip("psycopg")
    code, _, err = _run(f"postgresql+psycopg://kb@/kb?host={tmp_path}&port=1", "contradictions")
    assert code == 2 and err.startswith("kb: error: cannot reach the database") and "Traceback" not in err


def _database(server: str, name: str) -> str:
    """A fresh database on the test server, for one index."""
    from sqlalchemy import create_engine, text

    engine = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {name}"))
            connection.execute(text(f"CREATE DATABASE {name}"))
    finally:
        engine.dispose()
    return server.replace("/postgres?", f"/{name}?")


def test_random_edits_update_to_the_full_build_on_the_server(server: str, tmp_path: Path) -> None:
    """The incremental update in one server transaction (foreign keys enforced) writes what a full build writes."""
    import random

    from kb.index.build import refresh
    from kb.settings import resolve
    from tests.index.incremental import EDITS, Knowledge, dump

    data, knowledge = tmp_path / "data", Knowledge.mini()
    knowledge.write(data)
    kept = resolve(str(data), _database(server, "kb_kept"))
    full = resolve(str(data), _database(server, "kb_full"))
    assert refresh(kept) == "rebuilt"
    pick, states = random.Random(12), set()
    for step in range(24):
        kind = EDITS[step % len(EDITS)] if step < len(EDITS) else pick.choice(EDITS)
        knowledge.edit(kind, pick)
        knowledge.write(data)
        states.add(refresh(kept))
        assert refresh(full, force=True) == "rebuilt"
        assert dump(kept.database_url) == dump(full.database_url), (step, kind)
    assert states >= {"updated", "rebuilt"}
