"""`html`: the review report, one self-contained file for a reviewer (`kb check --format html --output report.html`).

The file has no external asset and loads nothing: its stylesheet and script are inline (`kb/resources/report.css`,
`report.js`), and a Content-Security-Policy meta element allows exactly those two by their SHA-256 hashes and
nothing else (no network, no other script, no inline event handler), so even text that escaped its escaping could
not run. Without JavaScript everything is shown; the script only adds the severity and rule filters. Printing hides
the filters and shows every finding.

Layout: a header naming the run (kb version, knowledge base, date, fail-on), a summary table by page and rule, then
per page its text as `kb check` read it with each finding's words in a `<mark>` (rule and severity as data
attributes, numbered and linked to the finding's card), followed by the cards (`kb.formats.html_cards`).
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Sequence
from functools import cache

from kb.formats.highlight import locate
from kb.formats.html_cards import card, esc, page_text
from kb.formats.report import SEVERITY_LABELS as SEVERITIES
from kb.formats.report import Report, ordered, plural
from kb.formats.review import Counts, Review, add_counts, tally
from kb.records import Finding
from kb.text.paths import display_path
from kb.text.resources import resource


@cache
def _asset(name: str) -> tuple[str, str]:
    """An inline asset and its CSP source expression ('sha256-…' of its exact text)."""
    text = resource(name).read_text(encoding="utf-8")
    digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")
    return text, f"'sha256-{digest}'"


def _policy(style: str, script: str) -> str:
    return (
        f"default-src 'none'; style-src {style}; script-src {script}; img-src 'none'; "
        "base-uri 'none'; form-action 'none'"
    )


def _cells(counts: Counts) -> str:
    cells = "".join(f'<td class="n sev-{sev}">{counts.get(sev, 0) or ""}</td>' for sev in SEVERITIES)
    return f'{cells}<td class="n">{sum(counts.values())}</td>'


def _summary(rows: list[tuple[str, list[tuple[str, Counts]]]], anchors: dict[str, str], report: Report) -> str:
    head = "".join(f"<th>{sev}</th>" for sev in SEVERITIES)
    body = []
    grand: Counts = {}
    for page, rules in rows:
        shown = esc(display_path(page, report.root))
        name = f'<a href="#{anchors[page]}">{shown}</a>' if page in anchors else shown
        if not rules:
            body.append(f'<tr class="clean"><th scope="row">{name}</th><td>no findings</td>{_cells({})}</tr>')
            continue
        page_total: Counts = {}
        for number, (rule, counts) in enumerate(rules):
            first = f'<th scope="rowgroup" rowspan="{len(rules) + 1}">{name}</th>' if number == 0 else ""
            body.append(f"<tr>{first}<td><code>{esc(rule)}</code></td>{_cells(counts)}</tr>")
            add_counts(page_total, counts)
        body.append(f'<tr class="subtotal"><td>all rules</td>{_cells(page_total)}</tr>')
        add_counts(grand, page_total)
    body.append(f'<tr class="total"><th scope="row" colspan="2">all pages</th>{_cells(grand)}</tr>')
    return (
        '<section id="summary"><h2>Summary</h2><table class="summary">'
        f'<thead><tr><th scope="col">page</th><th scope="col">rule</th>{head}<th>total</th></tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></section>"
    )


def _header(findings: Sequence[Finding], report: Report, review: Review | None) -> str:
    items = [("kb version", report.tool_version)]
    if review is not None:
        items += [("knowledge base", review.data_dir), ("date", review.run_date.isoformat())]
        items.append(("fail-on", review.fail_on))
    items += [("pages checked", str(report.files_checked)), ("findings", str(len(findings)))]
    facts = "".join(f"<div><dt>{esc(key)}</dt><dd>{esc(value)}</dd></div>" for key, value in items)
    return f'<header class="run"><h1>kb check: review report</h1><dl>{facts}</dl></header>'


def _filters(findings: Sequence[Finding]) -> str:
    """The filter controls, hidden until the script runs (without it there is nothing to filter: all is shown)."""

    def box(name: str, value: str, count: int) -> str:
        return (
            f'<label><input type="checkbox" name="{name}" value="{esc(value)}" checked> '
            f'<span class="{name}-{esc(value)}">{esc(value)}</span> <span class="count">({count})</span></label>'
        )

    severities = [sev for sev in SEVERITIES if any(f.severity.label == sev for f in findings)]
    rules = sorted({f.rule for f in findings})
    by_sev = "".join(box("severity", sev, sum(f.severity.label == sev for f in findings)) for sev in severities)
    by_rule = "".join(box("rule", rule, sum(f.rule == rule for f in findings)) for rule in rules)
    return (
        '<form id="filters" class="filters" hidden aria-label="Filter the findings">'
        f"<fieldset><legend>Severity</legend>{by_sev}</fieldset>"
        f"<fieldset><legend>Rule</legend>{by_rule}</fieldset>"
        '<p class="shown" id="shown" aria-live="polite"></p></form>'
    )


def _page(page: str, anchor: str, numbered: list[tuple[int, Finding]], report: Report) -> str:
    review = report.review
    shown = display_path(page, report.root)
    doc = review.pages.get(page) if review else None
    located = locate(doc, numbered) if doc is not None else None
    placed = located.placed if located else frozenset()
    by_number = dict(numbered)
    if located is not None:
        text = f'<div class="text">{page_text(located, by_number)}</div>'
    elif review is not None:
        text = '<p class="unread">The page\u2019s text is not shown: it could not be read.</p>'
    else:
        text = '<p class="unread">The page\u2019s text is not part of this report.</p>'
    cards = "".join(card(number, f, f"{shown}:{f.line}:{f.column}", number in placed, review) for number, f in numbered)
    tallies = ((sev, sum(f.severity.label == sev for _, f in numbered)) for sev in SEVERITIES)
    counts = ", ".join(plural(n, sev) for sev, n in tallies if n)
    return (
        f'<section class="page" id="{anchor}"><h2>{esc(shown)}</h2><p class="counts">{esc(counts)}</p>'
        f'<h3>The page as read</h3>{text}<h3>Findings</h3><div class="cards">{cards}</div></section>'
    )


def render(findings: Sequence[Finding], report: Report) -> str:
    css, css_hash = _asset("report.css")
    js, js_hash = _asset("report.js")
    review = report.review
    findings = ordered(findings, report.root)
    pages = sorted(
        dict.fromkeys([*(review.pages if review else ()), *(f.path for f in findings)]),
        key=lambda page: display_path(page, report.root),
    )
    numbered: dict[str, list[tuple[int, Finding]]] = {}
    for number, finding in enumerate(findings, 1):
        numbered.setdefault(finding.path, []).append((number, finding))
    anchors = {page: f"page-{index}" for index, page in enumerate(p for p in pages if p in numbered)}
    sections = "".join(_page(page, anchors[page], numbered[page], report) for page in pages if page in numbered)
    if not findings:
        sections = '<p class="clean">No findings: every page checked is clean.</p>'
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{esc(_policy(css_hash, js_hash))}">\n'
        '<meta name="referrer" content="no-referrer">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>kb check: review report</title>\n<style>{css}</style>\n</head>\n<body>\n"
        f"{_header(findings, report, review)}\n{_filters(findings) if findings else ''}\n"
        f"<main>\n{_summary(tally(findings, pages), anchors, report)}\n{sections}\n</main>\n"
        f"<script>{js}</script>\n</body></html>\n"
    )
