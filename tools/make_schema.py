"""Write kb/resources/schema/*.schema.json: the JSON Schemas of claims.yaml, sources.yaml and pages.yaml that
editors read (kb.data.editor_schema makes them from the models in kb/data/schema.py). Run from the project root
after changing a model:

    python tools/make_schema.py            # writes the three files
    python tools/make_schema.py --check    # exits 1 if a file differs from what would be written
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kb.data.editor_schema import MODELS, file_name, schema_text  # noqa: E402

OUT = ROOT / "kb" / "resources" / "schema"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the files instead of writing them")
    args = parser.parse_args()
    stale = []
    for name in MODELS:
        path, wanted = OUT / file_name(name), schema_text(name)
        if args.check:
            same = path.is_file() and path.read_text(encoding="utf-8") == wanted
            print(f"{path}: {'up to date' if same else 'differs'}")
            stale += [] if same else [path]
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(wanted, encoding="utf-8", newline="\n")
        print(f"{path}: {len(wanted.encode())} bytes")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
