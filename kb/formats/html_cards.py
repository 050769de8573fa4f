"""The body of the review report: each page's text with the judged words marked, and one card per finding.

Every piece of text that comes from a page or from the knowledge base goes through `esc` (html.escape, quotes
included) at the moment it is put into markup; nothing is marked up before it is escaped. Links are made only from
http(s) addresses (`kb.formats.review.safe_href`), so a `javascript:` URL in a source is shown, never followed.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from kb.formats.highlight import Block, Located
from kb.formats.review import ClaimNote, Review, SourceNote
from kb.records import Finding


def esc(text: object) -> str:
    return escape(str(text), quote=True)


def _mark_open(number: int, finding: Finding, first: bool) -> str:
    ident = f' id="m-{number}"' if first else ""
    classes = f"sev-{esc(finding.severity.label)}" + ("" if first else " cont")
    return (
        f'<mark{ident} class="{classes}" data-finding="{number}" data-rule="{esc(finding.rule)}" '
        f'data-severity="{esc(finding.severity.label)}" title="{esc(finding.rule)}: {esc(finding.message)}">'
    )


def _ref(number: int) -> str:
    return f'<sup class="ref"><a href="#f-{number}" aria-label="finding {number}">{number}</a></sup>'


def _sentence(block: Block, findings: dict[int, Finding], opened: set[int]) -> str:
    """A sentence's pieces as nested <mark>s: a mark that crosses another is closed and reopened (class "cont"),
    and each finding's reference number follows its last piece."""
    out: list[str] = []
    stack: list[int] = []

    def close_to(depth: int, still: Sequence[int]) -> None:
        while len(stack) > depth:
            number = stack.pop()
            out.append("</mark>")
            if number not in still:
                out.append(_ref(number))

    for piece in block.pieces:
        covering = list(piece.findings)
        keep = 0
        while keep < min(len(stack), len(covering)) and stack[keep] == covering[keep]:
            keep += 1
        close_to(keep, covering)
        for number in covering[keep:]:
            out.append(_mark_open(number, findings[number], number not in opened))
            opened.add(number)
            stack.append(number)
        out.append(esc(piece.text))
    close_to(0, ())
    return "".join(out)


def page_text(located: Located, findings: dict[int, Finding]) -> str:
    """The page as read, paragraph by paragraph (a blank line, or a block element in HTML, starts a paragraph)."""
    paragraphs: list[list[str]] = [[]]
    opened: set[int] = set()
    for block in located.blocks:
        if block.breaks == 2 and paragraphs[-1]:
            paragraphs.append([])
        elif block.breaks == 1 and paragraphs[-1]:
            paragraphs[-1].append("<br>")
        elif paragraphs[-1]:
            paragraphs[-1].append(" ")
        paragraphs[-1].append(_sentence(block, findings, opened))
    return "\n".join(f"<p>{''.join(parts)}</p>" for parts in paragraphs if parts)


def _links(source: SourceNote) -> str:
    shown = []
    for link in source.links:
        label = f"{esc(link.label)} {esc(link.text)}"
        if link.href is None:
            shown.append(f'<span class="link">{label}</span>')
        else:
            shown.append(f'<a class="link" href="{esc(link.href)}" rel="noopener noreferrer">{label}</a>')
    return " ".join(shown)


def _source(source: SourceNote) -> str:
    parts = [f'<span class="relation rel-{esc(source.relation)}">{esc(source.relation)}</span> ']
    parts.append(f"<cite>{esc(source.citation)}</cite>")
    if source.quote:
        where = f'<span class="locator">{esc(source.locator)}:</span> ' if source.locator else ""
        parts.append(f"<blockquote>{where}\u201c{esc(source.quote)}\u201d</blockquote>")
    if source.links:
        parts.append(f'<p class="links">{_links(source)}</p>')
    return f"<li>{''.join(parts)}</li>"


def _claim(claim: ClaimNote, fix: str | None) -> list[str]:
    rows = [
        f"<dt>Claim</dt><dd><code>{esc(claim.id)}</code> {esc(claim.statement)}</dd>",
        f'<dt>Evidence</dt><dd><span class="level level-{esc(claim.level)}">{esc(claim.level)}</span>'
        f' <span class="status">writer status: {esc(claim.status)}</span></dd>',
    ]
    if claim.approved_wording:
        rows.append(f'<dt>Approved wording</dt><dd class="wording">{esc(claim.approved_wording)}</dd>')
    if claim.caveats:
        items = "".join(f"<li>{esc(caveat)}</li>" for caveat in claim.caveats)
        rows.append(f"<dt>Caveats</dt><dd><ul>{items}</ul></dd>")
    if fix and fix != claim.approved_wording:
        rows.append(f'<dt>Suggested wording</dt><dd class="wording">{esc(fix)}</dd>')
    if claim.sources:
        items = "".join(_source(source) for source in claim.sources)
        rows.append(f'<dt>Sources</dt><dd><ol class="sources">{items}</ol></dd>')
    else:
        rows.append('<dt>Sources</dt><dd class="none">none: no source in the knowledge base backs this claim</dd>')
    return rows


def card(number: int, finding: Finding, where: str, placed: bool, review: Review | None) -> str:
    """One finding: rule, severity, place (linked to its mark), message, the page's words, the sentence judged,
    and the claim's evidence, wording and sources."""
    severity = esc(finding.severity.label)
    place = (
        f'<a class="where" href="#m-{number}">{esc(where)}</a>'
        if placed
        else f'<span class="where">{esc(where)}</span> <span class="unplaced">(not marked in the text)</span>'
    )
    head = (
        f'<header><span class="num">{number}</span> <span class="sev sev-{severity}">{severity}</span> '
        f'<code class="rule">{esc(finding.rule)}</code> {place}</header>'
    )
    rows = []
    if finding.text:
        rows.append(f'<dt>On the page</dt><dd class="words">\u201c{esc(finding.text)}\u201d</dd>')
    if finding.sentence:
        rows.append(f'<dt>Sentence judged</dt><dd class="sentence">{esc(finding.sentence)}</dd>')
    claim = review.claims.get(finding.claim_id) if review and finding.claim_id else None
    if claim is not None:
        rows.extend(_claim(claim, finding.fix))
    else:
        if finding.evidence:
            rows.append(f'<dt>Evidence</dt><dd><span class="level level-{esc(finding.evidence)}">'
                        f"{esc(finding.evidence)}</span></dd>")  # fmt: skip
        if finding.fix:
            rows.append(f'<dt>Suggested wording</dt><dd class="wording">{esc(finding.fix)}</dd>')
    body = f"<dl>{''.join(rows)}</dl>" if rows else ""
    return (
        f'<article class="finding sev-{severity}" id="f-{number}" data-finding="{number}" '
        f'data-rule="{esc(finding.rule)}" data-severity="{severity}">{head}'
        f'<p class="message">{esc(finding.message)}</p>{body}</article>'
    )
