"""Accuracy of kb check and kb contradictions on the labelled corpus: precision and recall per rule.

    python bench/accuracy.py                 # both domains, both splits; misses and false flags of dev
    python bench/accuracy.py --show eval     # also list the evaluation set's misses and false flags
    python bench/accuracy.py --check-keys    # only load and check the keys (quotes verbatim and unique)
    python bench/accuracy.py --json out.json

The keys are bench/keys/<domain>/*.yaml (bench/keys/README.md); the pages stay in ../shared/corpus/.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from scoring import keys as key_files  # noqa: E402
from scoring import report, runs  # noqa: E402
from scoring.score import CONFLICTS, STATISTIC, Score, score_checks, score_conflicts  # noqa: E402
from scoring.split import SPLITS, split_of  # noqa: E402

PROJECT = Path(__file__).resolve().parents[1]
DOMAINS = {"ketamine": Path("data"), "melatonin": Path("examples") / "melatonin"}


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=PROJECT.parent / "shared" / "corpus")
    parser.add_argument("--keys", type=Path, default=PROJECT / "bench" / "keys")
    parser.add_argument("--domain", choices=sorted(DOMAINS), action="append")
    parser.add_argument("--split", choices=[*SPLITS, "all"], default="all")
    parser.add_argument(
        "--show",
        choices=[*SPLITS, "all", "none"],
        default="dev",
        help="whose misses and false flags to list (default dev: tune on nothing else)",
    )
    parser.add_argument("--check-keys", action="store_true")
    parser.add_argument(
        "--data-root",
        type=Path,
        default=PROJECT,
        help="take data/ and examples/ from this tree (a worktree of the commit before a change)",
    )
    parser.add_argument("--json", type=Path)
    return parser.parse_args()


def figures(score: Score) -> dict[str, dict[str, float | int | None]]:
    out = {}
    for rule, tally in score.rules.items():
        out[rule] = {
            "support": tally.support,
            "recall": tally.recall,
            "findings": tally.findings,
            "precision": tally.precision,
        }
    for name, total in (("all", score.total()),):
        out[name] = {
            "support": total.support,
            "recall": total.recall,
            "findings": total.findings,
            "precision": total.precision,
        }
    return out


def main() -> int:
    args = parse()
    domains = args.domain or sorted(DOMAINS)
    splits = list(SPLITS) if args.split == "all" else [args.split]
    bases = {d: args.data_root / p if (args.data_root / p).is_dir() else PROJECT / p for d, p in DOMAINS.items()}
    loaded = {}
    for domain in domains:
        try:
            loaded[domain] = key_files.load_domain(args.keys, args.corpus, domain)
        except key_files.KeyError_ as error:
            print(f"accuracy: {error}", file=sys.stderr)
            return 2
        pages_keyed = {key.page for key in loaded[domain][0]}
        unkeyed = sorted(set(split_of(args.corpus / domain)) - pages_keyed)
        if unkeyed:
            print(f"accuracy: {domain}: no key for {len(unkeyed)} page(s): {', '.join(unkeyed)}", file=sys.stderr)
    if args.check_keys:
        for domain, (pages, conflicts) in loaded.items():
            spans = sum(len(k.wanted) + len(k.acceptable) for k in pages)
            print(
                f"{domain}: {len(pages)} keys, {spans} spans, {len(conflicts.conflicts)} conflicts, "
                f"{len(conflicts.agree)} agreeing pairs: all quotes verbatim and unique"
            )
        return 0
    print(report.HEADER)
    results: dict[str, dict[str, object]] = {}
    listings: list[str] = []
    for domain in domains:
        page_keys, conflict_key = loaded[domain]
        split = split_of(args.corpus / domain)
        for part in splits:
            keys = [key for key in page_keys if split.get(key.page) == part]
            paths = [args.corpus / key.page for key in keys]
            if not paths:
                continue
            found = runs.check(paths, bases[domain], args.corpus)
            score = score_checks(keys, found)
            without = score_checks(keys, found, without=frozenset({STATISTIC}))
            conflicts = score_conflicts(
                conflict_key, runs.contradictions(paths, bases[domain], args.corpus), {key.page for key in keys}
            )
            score.merge(conflicts)
            for line in report.table(domain, part, score, without):
                print(line)
            results[f"{domain}/{part}"] = {
                "rules": figures(score),
                "without_statistic": figures(without)["all"],
                "misses": score.misses,
                "false_flags": score.false_flags,
            }
            if args.show in (part, "all"):
                listings += [
                    f"\n## {domain} {part}",
                    *report.listing("missed", score.misses),
                    *report.listing("false flags", score.false_flags),
                ]
    print("\n".join(listings))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    assert CONFLICTS
    sys.exit(main())
