"""The compiled index: rebuilt when the YAML changes, left alone when it does not, never broken by a failed build."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from kb.errors import DataError, InvalidData, KBError
from kb.index.build import read_meta, ready, refresh
from kb.index.inputs import SCHEMA_VERSION, content_hash, stat_signature
from kb.settings import Settings, resolve

Edit = Callable[[Path, str, str], int]


@pytest.fixture
def settings(mini_data: Path, db_path: Path) -> Settings:
    return resolve(str(mini_data), str(db_path))


def count(db_path: Path, table: str) -> int:
    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as connection:
        return int(connection.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])


def touch_later(path: Path, seconds: int = 5) -> None:
    info = path.stat()
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + seconds * 1_000_000_000))


def test_settings_point_at_the_test_database(settings: Settings, db_path: Path) -> None:
    assert settings.is_sqlite
    assert settings.sqlite_path == db_path.resolve()


def test_first_refresh_rebuilds_then_fresh(settings: Settings, db_path: Path) -> None:
    assert not db_path.exists()
    assert refresh(settings) == "rebuilt"
    assert db_path.is_file()
    assert refresh(settings) == "fresh"
    assert refresh(settings) == "fresh"


def test_meta_records_signatures(settings: Settings, mini_data: Path) -> None:
    assert read_meta(settings) == {}
    refresh(settings)
    meta = read_meta(settings)
    assert meta["schema_version"] == SCHEMA_VERSION
    assert meta["stat_signature"] == stat_signature(mini_data)
    assert meta["content_hash"] == content_hash(mini_data)


def test_touch_without_change_is_touched_then_fresh(settings: Settings, mini_data: Path, db_path: Path) -> None:
    refresh(settings)
    built = db_path.stat().st_ino, count(db_path, "kb_claim")
    touch_later(mini_data / "claims.yaml")
    assert refresh(settings) == "touched"
    assert read_meta(settings)["stat_signature"] == stat_signature(mini_data)
    assert refresh(settings) == "fresh"
    assert (db_path.stat().st_ino, count(db_path, "kb_claim")) == built  # same file: not rebuilt


def test_touching_a_page_file_is_touched(settings: Settings, mini_data: Path) -> None:
    refresh(settings)
    touch_later(mini_data / "pages" / "clinic.txt")
    assert refresh(settings) == "touched"


def test_changed_content_rebuilds(settings: Settings, mini_data: Path, db_path: Path, edit: Edit) -> None:
    refresh(settings)
    claims = mini_data / "claims.yaml"
    edit(claims, "statement: Ketamine is not addictive.", "statement: Ketamine is not habit-forming.")
    assert refresh(settings) == "updated"  # only a claim changed: kb.index.delta rewrote its rows
    with sqlite3.connect(db_path) as connection:
        statement = connection.execute("SELECT statement FROM kb_claim WHERE id = 'not-addictive'").fetchone()[0]
    assert statement == "Ketamine is not habit-forming."
    assert refresh(settings) == "fresh"


def test_same_size_change_is_seen(settings: Settings, mini_data: Path, db_path: Path, edit: Edit) -> None:
    refresh(settings)
    edit(mini_data / "sources.yaml", "n: 61", "n: 62")
    touch_later(mini_data / "sources.yaml")
    assert refresh(settings) == "rebuilt"
    with sqlite3.connect(db_path) as connection:
        assert connection.execute("SELECT n FROM kb_source WHERE id = 'schwenk-2018'").fetchone()[0] == 62


def test_changed_page_text_rebuilds(settings: Settings, mini_data: Path) -> None:
    refresh(settings)
    page = mini_data / "pages" / "clinic.txt"
    page.write_text(page.read_text(encoding="utf-8") + "Call us today.\n", encoding="utf-8")
    assert refresh(settings) == "rebuilt"


def test_new_file_in_data_folder_rebuilds(settings: Settings, mini_data: Path) -> None:
    refresh(settings)
    (mini_data / "pages" / "other.txt").write_text("another page\n", encoding="utf-8")
    assert refresh(settings) == "rebuilt"


def test_hidden_files_and_folders_in_the_data_folder_are_not_inputs(settings: Settings, mini_data: Path) -> None:
    """The editor schemas `kb init` puts in `.schema/` (and editors' swap files) are not data."""
    refresh(settings)
    (mini_data / ".schema").mkdir()
    (mini_data / ".schema" / "claims.schema.json").write_text("{}\n", encoding="utf-8")
    (mini_data / ".claims.yaml.swp").write_text("x", encoding="utf-8")
    assert refresh(settings) == "fresh"


def test_force_rebuilds(settings: Settings) -> None:
    refresh(settings)
    assert refresh(settings, force=True) == "rebuilt"
    assert refresh(settings) == "fresh"


def test_row_counts_for_mini(settings: Settings, db_path: Path) -> None:
    refresh(settings)
    assert count(db_path, "kb_claim") == 3
    assert count(db_path, "kb_source") == 2
    assert count(db_path, "kb_page") == 1
    assert count(db_path, "kb_mention") == 3
    assert count(db_path, "kb_subject") == 3
    assert count(db_path, "kb_claim_source") == 1
    assert count(db_path, "kb_term") > 0
    assert count(db_path, "kb_claim_number") > 0


def test_levels_are_compiled(settings: Settings, db_path: Path) -> None:
    refresh(settings)
    with sqlite3.connect(db_path) as connection:
        claims = dict(connection.execute("SELECT id, level FROM kb_claim").fetchall())
        sources = dict(connection.execute("SELECT id, level FROM kb_source").fetchall())
    assert claims == {"responders": "very-low", "infusion-one-hour": "no-evidence", "not-addictive": "no-evidence"}
    assert sources == {"schwenk-2018": "very-low", "asa-2017-press-release": "very-low"}


def _snapshot(db_path: Path) -> tuple[bytes, dict[str, str]]:
    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as connection:
        meta = dict(connection.execute("SELECT key, value FROM kb_meta").fetchall())
    return db_path.read_bytes(), meta


@pytest.mark.parametrize(
    ("old", "new", "error"),
    [
        ("subject: responder-share", "subject: nowhere", InvalidData),  # dangling reference
        ("aliases: [improved, responders]", "aliases: [improved, responders", DataError),  # malformed YAML
        ("status: do-not-use", "status: maybe", InvalidData),  # schema
    ],
    ids=["dangling", "malformed", "schema"],
)
def test_failed_rebuild_keeps_previous_index(
    settings: Settings,
    mini_data: Path,
    db_path: Path,
    tmp_path: Path,
    edit: Edit,
    old: str,
    new: str,
    error: type[KBError],
) -> None:
    assert refresh(settings) == "rebuilt"
    before = _snapshot(db_path)
    edit(mini_data / "claims.yaml", old, new)
    with pytest.raises(error) as caught:
        refresh(settings)
    assert caught.value.exit_code == 2
    assert caught.value.path is not None and caught.value.path.endswith("claims.yaml")
    assert _snapshot(db_path) == before
    assert count(db_path, "kb_claim") == 3
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
    # still failing next time (the bad YAML is not marked fresh), and still intact
    with pytest.raises(error):
        refresh(settings)
    assert _snapshot(db_path) == before


def test_index_recovers_after_fix(settings: Settings, mini_data: Path, db_path: Path, edit: Edit) -> None:
    refresh(settings)
    good = (mini_data / "claims.yaml").read_text(encoding="utf-8")
    edit(mini_data / "claims.yaml", "status: do-not-use", "status: maybe")
    with pytest.raises(InvalidData):
        refresh(settings)
    (mini_data / "claims.yaml").write_text(good, encoding="utf-8")
    assert refresh(settings) == "touched"  # same content as the index it still holds
    assert refresh(settings) == "fresh"


def test_damaged_index_file_is_rebuilt(settings: Settings, db_path: Path) -> None:
    refresh(settings)  # kb's own index (its stamp says so), then damaged
    db_path.write_bytes(b"this is not a database" * 100)
    assert read_meta(settings) == {}
    assert refresh(settings) == "rebuilt"
    assert count(db_path, "kb_claim") == 3


def test_ready_opens_a_readable_index(settings: Settings, db_path: Path) -> None:
    database = ready(settings)
    assert sorted(row[0] for row in database.rows("SELECT id FROM kb_claim")) == [
        "infusion-one-hour",
        "not-addictive",
        "responders",
    ]
    assert database.rows("SELECT COUNT(*) FROM kb_mention WHERE page_id = :p", {"p": "clinic"}) == [(3,)]


def test_cli_index_command(run: object, mini_data: Path, db_path: Path, tmp_path: Path) -> None:
    assert callable(run)
    code, out, err = run("index", "--data", mini_data, "--db", db_path)
    assert code == 0
    assert "rebuilt" in err
    code, _, err = run("index", "--data", mini_data, "--db", db_path)
    assert (code, "fresh" in err) == (0, True)
    code, _, err = run("index", "--data", mini_data, "--db", db_path, "--rebuild")
    assert (code, "rebuilt" in err) == (0, True)
    assert not (tmp_path / ".kb").exists()


def test_data_that_changed_while_it_was_compiled_is_never_trusted(settings: Settings, mini_data: Path) -> None:
    """The hash is taken before the data is read again to compile it; an edit in between (then undone) must not
    leave an index of the edited data under the original data's hash."""
    from kb.index.build import build
    from kb.index.writer import CHANGED_DURING_BUILD

    stale = {"schema_version": SCHEMA_VERSION, "stat_signature": "old", "content_hash": "0" * 64}
    build(settings, stale)  # as if the data had changed after "0" * 64 was its hash
    assert read_meta(settings)["content_hash"] == CHANGED_DURING_BUILD
    assert refresh(settings) == "rebuilt"
    assert refresh(settings) == "fresh"


def test_a_stamp_left_half_written_by_a_killed_process_is_removed(settings: Settings, db_path: Path) -> None:
    refresh(settings)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    orphan = db_path.with_name(f".{db_path.name}.stamp.{int(dead.stdout)}.k3x9_q.tmp")
    orphan.write_text('{"tool": "k', encoding="utf-8")
    assert refresh(settings) == "fresh"
    assert not orphan.exists()
