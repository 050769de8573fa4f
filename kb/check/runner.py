"""The `kb check` runner: read pages, match each sentence, run the rules, then filter once, centrally (rule
settings, severities, inline suppressions, baseline, de-duplication), as Vale's runner does.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from functools import cache, partial
from pathlib import Path

from kb.check.config import CheckConfig
from kb.check.context import Context, Span
from kb.check.curated import curated
from kb.check.known import KnownPages
from kb.check.merge import merge_angles, once_a_page
from kb.check.registry import RULES
from kb.check.rule import Rule
from kb.check.suppress import apply as apply_suppressions
from kb.errors import KBError
from kb.fastclass import dataclass, replace
from kb.language.attribution import sources_named
from kb.language.dated import page_date
from kb.language.matching import Facts, Match, analyse, match
from kb.language.statements import document_statements
from kb.language.values import Statement
from kb.pages.collect import site_pages
from kb.pages.pool import fan_out
from kb.pages.read import Document, read_bytes, read_path
from kb.pages.visible import LineIndex
from kb.records import Finding, InputError
from kb.settings import Settings
from kb.store.db import Database
from kb.store.knowledge import KnowledgeView
from kb.store.vocabulary import load_vocabulary
from kb.text.normalise import fold, loose

MIN_WORDS = 4  # shorter fragments ("- Dr. Jane Smith") are bylines and headings: only wording rules read them
MIN_SENTENCE_WORDS = 2  # "X prevents Y." is a claim in three words


@dataclass(frozen=True)
class CheckResult:
    findings: tuple[Finding, ...]
    notes: tuple[str, ...]
    files_checked: int
    input_errors: tuple[InputError, ...] = ()


Outcome = tuple[list[Finding], list[str], list[InputError]]


def _locator(doc: Document, lines: Callable[[], LineIndex], start: int, end: int) -> Callable[[str], Span | None]:
    """Find a curated quote near the sentence, so the finding points at the quote itself."""

    def locate(quote: str) -> Span | None:
        window = (max(0, start - len(quote)), end + len(quote))
        at, size = doc.source.find(quote, *window), len(quote)
        if at < 0:
            # The sentence as read has its dashes and spaces normalised ("2 – 3 week" reads "2 - 3 week").
            found = re.compile(loose(quote)).search(doc.source, *window)
            if found is None:
                return None
            at, size, quote = found.start(), len(found.group(0)), found.group(0)
        line, column = lines().position(at)
        end_line, end_column = lines().position(at + size - 1)
        return Span(line, column, end_line, end_column + 1, quote)

    return locate


# "Why has X proven effective?" asserts that it has (an interviewer's label may come first: "Name (Outlet): Why …")
PRESUPPOSING = re.compile(r"(?:[^:?]{0,60}:\s*)?\W*why\b", re.IGNORECASE)

_UNDERSTOOD: dict[tuple[str, float, int], tuple[Facts, list[Match]]] = {}


def _fragment(text: str, facts: Facts) -> bool:
    """A byline, heading or label: too few content words, unless it is a sentence ("X prevents Y.", ended by a
    full stop or an exclamation mark), which claims as much as a long one."""
    if len(facts.words) >= MIN_WORDS:
        return False
    return len(facts.words) < MIN_SENTENCE_WORDS or not text.rstrip().endswith((".", "!"))


def _understand(text: str, view: KnowledgeView, threshold: float) -> tuple[Facts, list[Match]]:
    """Facts and matches of a sentence, memoised: sites repeat sentences (disclaimers, footers, shared copy)."""
    key = (text, threshold, id(view))
    if key not in _UNDERSTOOD:
        if len(_UNDERSTOOD) > 50_000:
            _UNDERSTOOD.clear()
        facts = analyse(text, view.units)
        _UNDERSTOOD[key] = (facts, match(facts, view, threshold) if not _fragment(text, facts) else [])
    return _UNDERSTOOD[key]


def check_document(
    doc: Document, view: KnowledgeView, config: CheckConfig, known: KnownPages | None = None
) -> tuple[list[Finding], list[str]]:
    lines = cache(lambda: LineIndex(doc.source))  # built only if a curated quote has to be located
    rules = enabled_rules(config)
    findings: list[Finding] = []
    stated: dict[tuple[int, int], list[Statement]] = {}
    scope = view.scope
    page_in_scope = scope.page_in_scope(fold(sentence.text) for sentence in doc.sentences)
    if known is not None:
        page = known.page_of(doc.path) or doc.path
        digitised = lambda text: _understand(text, view, config.threshold)[0].digitised  # noqa: E731
        for statement in document_statements(doc, known.vocabulary, page, digitised, page_in_scope):
            stated.setdefault((statement.line, statement.column), []).append(statement)
    same_site = _same_site(doc.path, config, known)
    # The sources the page names anywhere ("a new study" in the lead, the journal two paragraphs on), read once.
    page_sources = cache(lambda: tuple(sources_named(view, " ".join(s.text for s in doc.sentences), by_year=False)))
    page_figures = cache(
        lambda: tuple(q for s in doc.sentences for q in _understand(s.text, view, config.threshold)[0].measured)
    )
    today = date.today()
    dated = page_date(" ".join(s.text for s in doc.sentences[:12]), today) or today  # "recent" as of the page
    for number, sentence in enumerate(doc.sentences):
        if sentence.text.rstrip().endswith("?") and not PRESUPPOSING.match(sentence.text):
            continue  # a question claims nothing, except what a "why" question takes as given
        facts, matches = _understand(sentence.text, view, config.threshold)
        fragment = _fragment(sentence.text, facts)
        in_scope = scope.sentence_in_scope(facts.folded, page_in_scope)
        if not in_scope:
            matches = [m for m in matches if m.mentions]  # only a curated verdict on this very quote still applies
        span = Span(sentence.line, sentence.column, sentence.end_line, sentence.end_column, sentence.text)
        ctx = Context(
            doc.path,
            span,
            facts,
            matches,
            view,
            config.min_level,
            config.recency_years,
            config.lexicon,
            _locator(doc, lines, sentence.start, sentence.end),
            statements=tuple(stated.get((sentence.line, sentence.column), ())) if in_scope else (),
            known=known,
            following=_following(doc, number),
            preceding=_preceding(doc, number),
            same_site=same_site,
            page_sources=page_sources,
            page_figures=page_figures,
            in_scope=in_scope,
            today=dated,
        )
        if not fragment:
            findings.extend(curated(ctx))
        for rule in rules:
            if rule.fragments or not fragment:
                findings.extend(rule.run(ctx))
    findings = merge_angles(_configure(findings, config))
    kept, notes = apply_suppressions(findings, doc.comments, doc.path)
    return once_a_page(kept), [*doc.warnings, *notes]


def _same_site(path: str, config: CheckConfig, known: KnownPages | None) -> bool:
    """Pages are compared with each other only within one site: the configured `content` and the registered pages."""
    if known is None:
        return False
    if known.page_of(path) is not None:
        return True
    if not config.content or path == "-":
        return False
    return Path(path).resolve() in site_pages(config.content, config.ignore, config.root)


def _preceding(doc: Document, number: int) -> str:
    """The sentence before when it is in the same paragraph: it may name the study this one reports."""
    if number == 0:
        return ""
    before, this = doc.sentences[number - 1], doc.sentences[number]
    return "" if "\n\n" in doc.source[before.end : this.start] else before.text


def _following(doc: Document, number: int) -> str:
    """The next sentence when it is in the same paragraph (no blank line between)."""
    if number + 1 >= len(doc.sentences):
        return ""
    this, after = doc.sentences[number], doc.sentences[number + 1]
    return "" if "\n\n" in doc.source[this.end : after.start] else after.text


def enabled_rules(config: CheckConfig) -> list[Rule]:
    """The rules that run: a rule switched off in the configuration is never called."""
    return [rule for rule in RULES.values() if (setting := config.rules.get(rule.id)) is not None and setting.enabled]


def _configure(findings: Iterable[Finding], config: CheckConfig) -> list[Finding]:
    """Drop disabled rules' findings (curated verdicts carry any rule's id), apply configured severities, and keep
    one finding per rule, place and claim."""
    seen: set[tuple[str, int, int, str | None]] = set()
    kept = []
    for finding in findings:
        setting = config.rules.get(finding.rule)
        if setting is None or not setting.enabled:
            continue
        key = (finding.rule, finding.line, finding.column, finding.claim_id)
        if key in seen:
            continue
        seen.add(key)
        kept.append(replace(finding, severity=setting.severity))
    return kept


_WORKER: tuple[KnowledgeView, CheckConfig, KnownPages | None] | None = None


def known_pages(view: KnowledgeView, settings: Settings, config: CheckConfig) -> KnownPages | None:
    """What the `contradiction` rule compares with; None when the rule is switched off."""
    setting = config.rules.get("contradiction")
    if setting is None or not setting.enabled:
        return None
    return KnownPages(load_vocabulary(view.db, view), settings.data_dir)


def _init_worker(settings: Settings, config: CheckConfig) -> None:
    global _WORKER
    from kb.store.db import open_database

    view = KnowledgeView(open_database(settings))
    _WORKER = (view, config, known_pages(view, settings, config))


def _check_one(path: str) -> Outcome:
    assert _WORKER is not None
    view, config, known = _WORKER
    return _checked(path, None, view, config, known)


def _checked(
    path: str, raw: bytes | None, view: KnowledgeView, config: CheckConfig, known: KnownPages | None
) -> Outcome:
    """One page (from disk, or `raw` bytes for stdin): its findings and notes, or why it could not be read."""
    try:
        doc = read_bytes(raw, path) if raw is not None else read_path(Path(path), path, config.max_file_size)
    except KBError as exc:
        return [], [], [InputError.from_error(exc, path)]
    found, notes = check_document(doc, view, config, known)
    return found, notes, []


def check(
    paths: Sequence[str],
    db: Database,
    settings: Settings,
    config: CheckConfig,
    jobs: int = 1,
    stdin: bytes | None = None,
    progress: Callable[[int], None] | None = None,
    stdin_name: str = "-",
) -> CheckResult:
    """Check files (and stdin when given as "-") against the open index `db` (the caller keeps it fresh: see
    `kb.index.build.ready`). An unreadable page is an input error, not the end of the run."""
    view = KnowledgeView(db)
    known = known_pages(view, settings, config)
    findings: list[Finding] = []
    notes: list[str] = []
    unreadable: list[InputError] = []

    def add(outcome: Outcome) -> None:
        findings.extend(outcome[0])
        notes.extend(outcome[1])
        unreadable.extend(outcome[2])

    files = [p for p in paths if p != "-"]
    if stdin is not None:
        add(_checked(stdin_name, stdin, view, config, known))  # the name picks the reader: "page.md" is Markdown
    serial = partial(_checked, raw=None, view=view, config=config, known=known)
    for outcome in fan_out(files, jobs, serial, _check_one, _init_worker, (settings, config), chunksize=8):
        add(outcome)
        if progress:
            progress(1)
    checked = len(files) + (stdin is not None)
    return CheckResult(tuple(sorted(findings)), tuple(notes), checked, tuple(sorted(unreadable)))
