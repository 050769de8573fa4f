"""What `kb init` writes: an empty knowledge base that validates as it is, with one commented example of a subject,
a claim and a source to copy from, and a `kb.toml` pointing at it. Nothing here knows a topic: the example is
placeholders. Each example, uncommented, validates too (tests/data/test_skeleton.py)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from kb.data.editor_schema import SCHEMA_FOLDER, file_name, modeline
from kb.errors import UsageError
from kb.safeio import write_atomic
from kb.text.resources import resource

EXAMPLE = "# Example"  # the line after which each data file's commented example starts

CLAIMS = """\
# The claims the pages make and what backs them; the subjects they are about. Run `kb validate` after each edit.
subjects: []
claims: []

# Example (remove the two lines above and the leading "# " below, then adapt):
# subjects:
#   - id: example-response-rate
#     label: share of participants who improved in the example study
#     kind: quantity
#     dimension: percent
#     aliases: [improved, responded]
# claims:
#   - id: example-response-rate-60
#     statement: 30 of 50 participants (60%) improved.
#     subject: example-response-rate
#     value: {kind: quantity, value: 60, unit: percent}
#     sources:
#       - source: example-study
#         finding: main-result
#         quote: "Thirty of the 50 participants (60%) improved."
#     status: use-with-caveat
#     approved_wording: In one small study, about six in ten participants improved.
#     caveats: [small and uncontrolled]
"""

SOURCES = """\
# The sources the claims rest on. Every identifier or bibliographic field you fill in (doi, pmid, pmcid, nct,
# volume, issue, pages, url, issued) needs a `verified_at` entry saying where you saw it: never fill one from memory.
sources: []

# Example (remove the line above and the leading "# " below, then adapt):
# sources:
#   - id: example-study
#     type: article-journal
#     design: retrospective-cohort
#     title: "An example study title, as the record gives it"
#     authors:
#       - {family: Example, given: Author}
#     container_title: The Journal It Appeared In
#     issued: "2020"
#     n: 50
#     verified_at:
#       issued: "VERIFIED: <the record you read it in>"
#     findings:
#       - id: main-result
#         quote: "Thirty of the 50 participants (60%) improved."
#         locator: abstract, Results
#         figures:
#           - {value: 60, unit: percent}
"""

PAGES = """\
# The pages the knowledge base has judged (a copy of each under this folder), so `kb contradictions --with-known`
# and the `contradiction` rule compare new pages with them. Empty is fine.
pages: []

# Example (remove the line above and the leading "# " below, then adapt; the file must exist):
# pages:
#   - id: example-page
#     file: pages/example-page.md
#     seed_file: content/example-page.md
#     publisher: Example Publisher
#     title: The page's title
"""

CONFIG = """\
# kb's settings for this repository (all keys: the kb README, "Exit codes, formats, configuration").
data = "{data}"
content = ["{content}"]
min-level = "low"
recency-years = 3
fail-on = "error"
"""

GITIGNORE_ENTRY = ".kb/"


@dataclass(frozen=True)
class Skeleton:
    written: tuple[Path, ...]
    gitignore: Path | None  # the .gitignore that got the entry, None when it had one


def files(root: Path, data: str = "data", content: str = "content") -> dict[Path, str]:
    """What `kb init` writes: each data file with a first line naming its JSON Schema (for editors), the schemas
    themselves in the data folder's `.schema/` (copies of kb/resources/schema/, so the modelines resolve in any
    clone of the repository, without kb installed), and kb.toml."""
    folder = root / data
    texts = {"claims": CLAIMS, "sources": SOURCES, "pages": PAGES}
    planned = {folder / f"{name}.yaml": f"{modeline(name)}\n{text}" for name, text in texts.items()}
    for name in texts:
        shipped = resource(f"schema/{file_name(name)}").read_text(encoding="utf-8")
        planned[folder / SCHEMA_FOLDER / file_name(name)] = shipped
    return planned | {root / "kb.toml": CONFIG.format(data=data, content=content)}


def write(root: Path, data: str = "data", content: str = "content") -> Skeleton:
    """Write the skeleton under `root`; refuses, before writing anything, when one of its files exists."""
    planned = files(root, data, content)
    taken = [path for path in planned if os.path.lexists(path)]
    if taken:
        raise UsageError(
            f"not overwriting {', '.join(str(path) for path in taken)}",
            hint="kb init writes a new knowledge base; edit the existing files, or init another folder",
        )
    for path, text in planned.items():
        write_atomic(path, text.encode("utf-8"), str(path))
    return Skeleton(tuple(planned), _ignore_index(root))


def _ignore_index(root: Path) -> Path | None:
    """Add `.kb/` to the repository's .gitignore (the index folder also ignores itself)."""
    path = root / ".gitignore"
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    if any(line.strip() in (GITIGNORE_ENTRY, ".kb") for line in text.splitlines()):
        return None
    joined = text if not text or text.endswith("\n") else text + "\n"
    write_atomic(path, (joined + "# kb's index, rebuilt from the data\n" + GITIGNORE_ENTRY + "\n").encode(), str(path))
    return path


def uncommented(text: str) -> str:
    """The example of a skeleton file as a file of its own (for the tests and for users who want it)."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(EXAMPLE)) + 1
    return "\n".join(line[2:] if line.startswith("# ") else line.lstrip("#") for line in lines[start:]) + "\n"
