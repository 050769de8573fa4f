"""Where the data and the index live: options, then environment, then defaults found from the working directory."""

from __future__ import annotations

import os
from pathlib import Path

from kb.errors import UsageError
from kb.fastclass import dataclass

DATA_ENV = "KB_DATA"
DATABASE_ENV = "KB_DATABASE_URL"


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database_url: str
    default_db: bool = False  # the index is kb's own `.kb/index.sqlite`, not a path the user named

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite:")

    @property
    def sqlite_path(self) -> Path:
        return Path(self.database_url.removeprefix("sqlite:///"))


def find_data_dir(start: Path) -> Path | None:
    """The nearest `data/` folder holding `claims.yaml`, looking upwards like git looks for `.git`."""
    for folder in (start, *start.parents):
        if (folder / "data" / "claims.yaml").is_file():
            return folder / "data"
    return None


def resolve(data: str | None = None, database_url: str | None = None) -> Settings:
    data = data or os.environ.get(DATA_ENV)
    if data:
        data_dir = Path(data)
        if not data_dir.is_dir():
            hint = "run `kb sync` first" if "knowledge-base" in Path(data).parts else "pass --data DIR with claims.yaml"
            raise UsageError(f"data folder not found: {data}", hint=hint)
    else:
        found = find_data_dir(Path.cwd())
        if found is None:
            raise UsageError("no data/claims.yaml here or above", hint="run kb inside the project or pass --data DIR")
        data_dir = found
    url = database_url or os.environ.get(DATABASE_ENV)
    default_db = not url
    if not url:
        url = f"sqlite:///{(data_dir.resolve().parent / '.kb' / 'index.sqlite')}"
    elif "://" not in url:
        url = f"sqlite:///{Path(url).resolve()}"
    url = check_url(url)
    return Settings(data_dir=data_dir, database_url=url, default_db=default_db)


# The database kinds kb builds an index in; SQLAlchemy knows many more, none of them tested with kb.
SCHEMES = ("sqlite", "postgresql")
_DRIVERS = {"postgresql": ("psycopg", "kb-claims[postgres]")}


def check_url(url: str) -> str:
    """A database URL kb can use, with its driver installed (`postgresql://` means psycopg 3, the driver kb
    declares); otherwise a UsageError that says what to do."""
    scheme, _, rest = url.partition("://")
    dialect, _, driver = scheme.partition("+")
    if dialect not in SCHEMES:
        raise UsageError(
            f"unsupported database URL scheme {scheme!r}",
            hint="use a SQLite path, sqlite:///PATH, or postgresql+psycopg://user@host/db",
        )
    if dialect == "sqlite":
        if not rest.startswith("/") or rest in ("/", "/:memory:"):
            raise UsageError(f"the SQLite index needs a file path, not {url!r}", hint="pass --db PATH")
        return url
    module, extra = _DRIVERS[dialect]
    if driver not in ("", module):
        raise UsageError(f"unsupported database driver {driver!r}", hint=f"use {dialect}+{module}://…")
    from importlib.util import find_spec

    if find_spec(module) is None:
        raise UsageError(f"the {dialect} driver ({module}) is not installed", hint=f'pip install "{extra}"')
    return f"{dialect}+{module}://{rest}"
