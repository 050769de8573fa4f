"""The accuracy table: precision and recall per rule, per domain and split, with every miss and false flag."""

from __future__ import annotations

from scoring.score import CONFLICTS, STATISTIC, Score, Tally

HEADER = f"{'domain':<10} {'split':<5} {'rule':<28} {'support':>7} {'recall':>7} {'findings':>8} {'precision':>9}"


def _figure(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def row(domain: str, split: str, rule: str, tally: Tally) -> str:
    return (
        f"{domain:<10} {split:<5} {rule:<28} {tally.support:>7} {_figure(tally.recall):>7} "
        f"{tally.findings:>8} {_figure(tally.precision):>9}"
    )


def table(domain: str, split: str, score: Score, without_statistic: Score) -> list[str]:
    lines = [row(domain, split, rule, score.rules[rule]) for rule in sorted(score.rules) if rule != CONFLICTS]
    lines.append(row(domain, split, "= all kb check rules", score.total()))
    lines.append(row(domain, split, "= without " + STATISTIC, without_statistic.total()))
    if CONFLICTS in score.rules:
        lines.append(row(domain, split, CONFLICTS, score.rules[CONFLICTS]))
    return lines


def listing(title: str, items: list[str]) -> list[str]:
    return [f"{title} ({len(items)}):", *(f"  {item}" for item in items)] if items else [f"{title}: none"]
