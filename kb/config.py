"""Where the data and the index live: options, then environment, then defaults found from the working directory."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from kb.errors import UsageError

DATA_ENV = "KB_DATA"
DATABASE_ENV = "KB_DATABASE_URL"


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database_url: str

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
            raise UsageError(f"data folder not found: {data}", hint="pass --data DIR with claims.yaml in it")
    else:
        found = find_data_dir(Path.cwd())
        if found is None:
            raise UsageError("no data/claims.yaml here or above", hint="run kb inside the project or pass --data DIR")
        data_dir = found
    url = database_url or os.environ.get(DATABASE_ENV)
    if not url:
        url = f"sqlite:///{(data_dir.resolve().parent / '.kb' / 'index.sqlite')}"
    elif "://" not in url:
        url = f"sqlite:///{Path(url).resolve()}"
    return Settings(data_dir=data_dir, database_url=url)
