"""Benchmark `kb check` on a deterministic corpus of 2,000 pages against knowledge bases of 10,000 and 100,000 claims.

Not a test: run it by hand, on a quiet machine, and read the table.

    python bench/bench_check.py                          # 10k and 100k claims; 200, 1,000 and 2,000 pages; jobs 1, 2
    python bench/bench_check.py --sizes 10000 --pages 200,2000 --jobs 1
    python bench/bench_check.py --profile --keep /tmp/kb-check-bench --json out.json
    python bench/bench_check.py --generate-only /tmp/corpus   # the corpus only

The corpus is made from the five seed pages (data/pages/*.txt): figures, wording and paragraph order varied, a
paragraph of claim-like sentences from bench_index's word lists added, and written as .txt, .md (YAML front matter,
headings, a fenced code block) or .html (<script>, <style>, <nav>, <p>, <ul>). Each page has its own seeded
`random.Random`, so the 200- and 1,000-page corpora are the first pages of the 2,000-page one (hard links).

Each knowledge base is the bundled data/ merged with bench_index's generated claims up to the size, indexed once by
`kb index` (timed apart). Every `kb check CORPUS --format json --fail-on none --jobs N --data D --db DB` runs under a
fresh Python wrapper, so `getrusage(RUSAGE_CHILDREN).ru_maxrss` is that run's peak (the largest single process:
with --jobs 2 the parent and each worker are separate processes). `rg -c '[0-9]+' CORPUS` is the floor.

Targets (from the issue): >= 200 pages/s at 10,000 claims on a 2-core machine; cost linear in pages; 10x the claims
costs at most 2x the time.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import io
import json
import os
import pstats
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import bench_index as bi
import yaml

PROJECT = Path(__file__).resolve().parent.parent
REAL_DATA = PROJECT / "data"
CORPUS_SEED = 20241122
DEFAULT_SIZES = (10_000, 100_000)
DEFAULT_PAGES = (200, 1_000, 2_000)
DEFAULT_JOBS = (1, 2)
PAGES_PER_SECTION = 100
RG_RUNS = 5
PAGES_PER_S_TARGET = 200.0
CLAIMS_RATIO_TARGET = 2.0
LINEAR_SLACK = 1.25  # time per page on the largest corpus may exceed that on the smallest by 25%
KIND_WEIGHTS = (("txt", 0.40), ("md", 0.35), ("html", 0.25))
Loader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
Record = dict[str, Any]

# ---------------------------------------------------------------- wording

SWAPS = {
    "study": "trial", "trial": "study", "studies": "trials", "trials": "studies", "patients": "people",
    "shows": "suggests", "suggests": "shows", "showed": "found", "found": "showed", "relief": "improvement",
    "treatment": "therapy", "therapy": "treatment", "treatments": "therapies", "therapies": "treatments",
    "effective": "helpful", "doctor": "physician", "physician": "doctor", "research": "evidence",
    "significant": "marked", "reduce": "lower", "may": "might", "might": "may", "clinic": "center",
    "recent": "new", "migraines": "migraine attacks", "pain": "discomfort", "often": "frequently",
    "typically": "usually", "usually": "typically", "help": "assist",
}
HEDGES = ("about", "around", "approximately", "nearly", "almost", "up to", "more than", "at least", "roughly")
SWAP_WORD = re.compile(r"\b(" + "|".join(sorted(SWAPS, key=len, reverse=True)) + r")\b", re.IGNORECASE)
HEDGE_WORD = re.compile(r"\b(" + "|".join(HEDGES) + r")\b", re.IGNORECASE)
NUMBER = re.compile(r"(?<![\w.#&,])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:(\s*(?:-|–| to | and )\s*)(\d+(?:\.\d+)?))?")
PHONE = re.compile(r"\(?\b\d{3}\)?[ .-]\d{3}-\d{4}\b")
PERCENT_AFTER = re.compile(r"\s*(?:%|percent|per cent)")
TITLE_TAILS = ("", "", " | Updated", " (2024 update)", " - What Patients Should Know", " | Patient Guide")


def keep_case(old: str, new: str) -> str:
    return new[0].upper() + new[1:] if old[:1].isupper() else new


def swap_words(text: str, rng: random.Random, chance: float) -> str:
    def swap(found: re.Match[str]) -> str:
        word = found.group(0)
        return keep_case(word, SWAPS[word.lower()]) if rng.random() < chance else word

    text = SWAP_WORD.sub(swap, text)
    return HEDGE_WORD.sub(lambda m: keep_case(m.group(0), rng.choice(HEDGES)) if rng.random() < chance else m.group(0),
                          text)


# ---------------------------------------------------------------- figures


def scaled(value: float, rng: random.Random) -> float:
    return max(1.0, value * rng.choice((0.5, 0.75, 1.25, 1.5, 2.0, 3.0)))


def vary_value(raw: str, percent: bool, rng: random.Random) -> str:
    value = float(raw.replace(",", ""))
    if percent:
        return str(rng.randint(3, 97))
    if 1900 <= value <= 2035 and value.is_integer():
        return str(int(value) + rng.choice((0, 0, -1, -2, 1, 3)))
    if "." in raw:
        return f"{scaled(value, rng):.1f}"
    number = round(scaled(value, rng))
    if rng.random() < 0.15 and number in bi.NUMBER_WORDS:
        return bi.NUMBER_WORDS[number]
    return f"{number:,}" if number >= 1000 else str(number)


def vary_range(low: str, high: str, rng: random.Random) -> tuple[str, str]:
    a, b = sorted(round(scaled(float(x.replace(",", "")), rng)) for x in (low, high))
    if a == b:
        b = a + rng.choice((1, 2, 5, 10))
    return str(a), str(b)


def vary_figures(text: str, rng: random.Random, chance: float) -> str:
    """Change about `chance` of the figures (percentages, counts, durations, ranges, years; not phone numbers)."""
    phones = [m.span() for m in PHONE.finditer(text)]

    def vary(found: re.Match[str]) -> str:
        if rng.random() >= chance or any(a <= found.start() < b for a, b in phones):
            return found.group(0)
        low, joiner, high = found.group(1), found.group(2), found.group(3)
        if high is not None:
            new_low, new_high = vary_range(low, high, rng)
            return f"{new_low}{joiner}{new_high}"
        percent = PERCENT_AFTER.match(text, found.end()) is not None
        new = vary_value(low, percent, rng)
        before = text[max(0, found.start() - 14):found.start()]
        if rng.random() < 0.12 and not before.endswith("$") and not HEDGE_WORD.search(before):
            return f"{rng.choice(HEDGES)} {new}"
        return new

    return NUMBER.sub(vary, text)


# ---------------------------------------------------------------- pages


@dataclass(frozen=True)
class Seed:
    name: str
    title: str
    paragraphs: tuple[str, ...]


def load_seeds(data: Path = REAL_DATA) -> list[Seed]:
    titles = {Path(p["file"]).stem: p.get("title", p["id"])
              for p in yaml.load((data / "pages.yaml").read_text(encoding="utf-8"), Loader=Loader)["pages"]}
    seeds = []
    for path in sorted((data / "pages").glob("*.txt")):
        paragraphs = tuple(p.strip("\n") for p in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")) if p.strip())
        seeds.append(Seed(path.stem, titles.get(path.stem, path.stem.replace("-", " ").title()), paragraphs))
    return seeds


def shuffle_paragraphs(paragraphs: list[str], rng: random.Random) -> list[str]:
    """Keep the opening paragraph; swap a few of the others; drop one now and then."""
    head, rest = paragraphs[:1], paragraphs[1:]
    for _ in range(rng.randint(0, max(1, len(rest) // 3))):
        if len(rest) > 1:
            i, j = rng.randrange(len(rest)), rng.randrange(len(rest))
            rest[i], rest[j] = rest[j], rest[i]
    if len(rest) > 4 and rng.random() < 0.3:
        del rest[rng.randrange(len(rest))]
    return head + rest


def claim_paragraph(generator: bi.Generator, rng: random.Random) -> str:
    """Two to five claim-like sentences in the generated knowledge base's vocabulary: figures, ranges, hedges."""
    generator.rng = rng
    sentences = []
    for _ in range(rng.randint(2, 5)):
        parts = (rng.choice(bi.TREATMENTS), rng.choice(bi.CONDITIONS), rng.choice(bi.POPULATIONS),
                 rng.choice(list(bi.MEASURES)))
        lead = rng.choice(bi.PAGE_LEADS)
        text = generator.sentence(parts)[0]
        sentences.append(f"{lead}{text[0].lower() + text[1:] if lead and not lead.endswith('. ') else text}.")
    return " ".join(sentences)


def page_paragraphs(seed: Seed, generator: bi.Generator, rng: random.Random) -> list[str]:
    paragraphs = [vary_figures(swap_words(p, rng, 0.3), rng, 0.5) for p in seed.paragraphs]
    paragraphs = shuffle_paragraphs(paragraphs, rng)
    paragraphs.insert(rng.randint(1, len(paragraphs)), claim_paragraph(generator, rng))
    return paragraphs


def is_heading(paragraph: str) -> bool:
    return "\n" not in paragraph and len(paragraph) < 70 and not paragraph.rstrip().endswith((".", ":", ","))


def bullets(paragraph: str) -> list[str] | None:
    lines = [line.strip() for line in paragraph.splitlines() if line.strip()]
    items = [line.lstrip("•*- ").strip() for line in lines if line.startswith(("•", "* ", "- "))]
    return items if items and len(items) == len(lines) else None


def as_txt(title: str, paragraphs: list[str], rng: random.Random) -> str:
    return "\n\n".join(paragraphs) + "\n"


def code_block(rng: random.Random) -> str:
    weight, rate, minutes = rng.randint(50, 110), rng.choice((0.1, 0.3, 0.5, 0.75)), rng.choice((40, 45, 60, 90))
    return (f"```sh\n# dosing calculator example: {rate} mg/kg over {minutes} minutes\n"
            f"dose --weight {weight} --rate {rate} --minutes {minutes}  # {rng.randint(10, 95)}% of max\n```")


def as_md(title: str, paragraphs: list[str], rng: random.Random) -> str:
    front = (f"---\ntitle: {json.dumps(title)}\ndate: {rng.randint(2015, 2024)}-{rng.randint(1, 12):02d}-"
             f"{rng.randint(1, 28):02d}\ntags: [ketamine, migraine, {rng.choice(bi.CONDITIONS)!r}]\n"
             f"weight: {rng.randint(1, 100)}\n---\n")
    blocks = [f"# {title}"]
    for paragraph in paragraphs:
        items = bullets(paragraph)
        if items:
            blocks.append("\n".join(f"- {item}" for item in items))
        else:
            blocks.append(f"## {paragraph}" if is_heading(paragraph) else paragraph)
    blocks.insert(rng.randint(2, len(blocks)), code_block(rng))
    return front + "\n" + "\n\n".join(blocks) + "\n"


def html_block(paragraph: str) -> str:
    items = bullets(paragraph)
    if items:
        return "<ul>\n" + "\n".join(f"  <li>{html.escape(item, quote=False)}</li>" for item in items) + "\n</ul>"
    tag = "h2" if is_heading(paragraph) else "p"
    return f"<{tag}>{html.escape(paragraph, quote=False)}</{tag}>"


def as_html(title: str, paragraphs: list[str], rng: random.Random) -> str:
    price, year = rng.choice((299, 399, 450, 525, 650)), rng.randint(2018, 2024)
    script = (f'window.dataLayer = [{{"page": {rng.randint(1, 9999)}, "price": {price}, "ttl": 86400, '
              f'"ratio": 0.{rng.randint(10, 99)}}}];')
    head = (f"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<title>{html.escape(title)}</title>\n<style>p {{ margin: 0 0 12px; }} h2 {{ font-size: 24px; }}</style>\n"
            f"<script>{script}</script>\n</head>\n")
    nav = (f'<nav><a href="/">Home</a> <a href="/pricing">Infusions from ${price}</a> '
           f'<a href="/contact">Call (555) 010-{rng.randint(1000, 9999)}, open 24/7</a></nav>\n')
    body = "\n".join(html_block(p) for p in paragraphs)
    return (f"{head}<body>\n{nav}<main>\n<h1>{html.escape(title)}</h1>\n{body}\n</main>\n"
            f"<footer>&copy; {year - 5}-{year} All rights reserved. 100% secure booking.</footer>\n</body>\n</html>\n")


WRITERS: dict[str, Callable[[str, list[str], random.Random], str]] = {"txt": as_txt, "md": as_md, "html": as_html}


def make_page(index: int, seeds: Sequence[Seed], generator: bi.Generator) -> tuple[str, str]:
    """Page `index`: (relative path, text). Depends only on the index, so smaller corpora are prefixes."""
    rng = random.Random(CORPUS_SEED * 1_000_003 + index)
    seed = seeds[index % len(seeds)]
    kinds, weights = zip(*KIND_WEIGHTS, strict=True)
    kind = rng.choices(kinds, weights)[0]
    title = swap_words(seed.title, rng, 0.3) + rng.choice(TITLE_TAILS)
    text = WRITERS[kind](title, page_paragraphs(seed, generator, rng), rng)
    return f"section-{index // PAGES_PER_SECTION:02d}/page-{index:04d}-{seed.name}.{kind}", text


@dataclass
class Corpus:
    folder: Path
    pages: int
    bytes: int
    kinds: dict[str, int]
    digest: str

    @property
    def mb(self) -> float:
        return self.bytes / 1e6


def write_corpus(folder: Path, pages: int) -> list[tuple[str, int]]:
    """Write `pages` pages into `folder`; return their relative paths and sizes, in page order."""
    seeds, generator = load_seeds(), bi.Generator(10_000)  # the generator only for its vocabulary of names
    written = []
    for index in range(pages):
        relative, text = make_page(index, seeds, generator)
        target = folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        data = text.encode("utf-8")
        target.write_bytes(data)
        written.append((relative, len(data)))
    return written


def describe(folder: Path, files: Sequence[tuple[str, int]]) -> Corpus:
    digest = hashlib.sha256()
    kinds: dict[str, int] = {}
    for relative, _ in files:
        digest.update(relative.encode() + b"\0" + (folder / relative).read_bytes())
        kinds[relative.rsplit(".", 1)[1]] = kinds.get(relative.rsplit(".", 1)[1], 0) + 1
    return Corpus(folder, len(files), sum(size for _, size in files), kinds, digest.hexdigest()[:16])


def link_subset(source: Path, target: Path, files: Sequence[tuple[str, int]]) -> None:
    for relative, _ in files:
        (target / relative).parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(source / relative, target / relative)
        except OSError:
            shutil.copyfile(source / relative, target / relative)


def build_corpora(root: Path, counts: Sequence[int]) -> dict[int, Corpus]:
    """One corpus of max(counts) pages and hard-linked prefixes of it for the smaller counts."""
    base = root / "corpus"
    shutil.rmtree(base, ignore_errors=True)
    largest = max(counts)
    full = base / f"pages-{largest}"
    files = write_corpus(full, largest)
    corpora = {largest: describe(full, files)}
    for count in sorted(set(counts) - {largest}):
        folder = base / f"pages-{count}"
        link_subset(full, folder, files[:count])
        corpora[count] = describe(folder, files[:count])
    return corpora


# ---------------------------------------------------------------- knowledge bases


@dataclass
class KnowledgeBase:
    size: int
    data: Path
    db: Path
    real_claims: int = 0
    yaml_mb: float = 0.0
    generate_s: float = 0.0
    index_s: float = 0.0
    reused: bool = False

    def where(self) -> list[str]:
        return ["--data", str(self.data), "--db", str(self.db)]


def load_yaml(path: Path) -> Record:
    with path.open(encoding="utf-8") as handle:
        loaded: Record = yaml.load(handle, Loader=Loader)
    return loaded


def merged_records(size: int) -> tuple[Record, Record, Record, dict[str, list[str]], int]:
    """The bundled data plus generated records, `size` claims in all: sources, claims, pages files, page lines."""
    sources, claims, pages = (load_yaml(REAL_DATA / f"{name}.yaml") for name in ("sources", "claims", "pages"))
    real = len(claims["claims"])
    generator = bi.Generator(max(0, size - real))
    generated_sources = generator.make_sources()
    subjects = generator.make_subjects()
    generated_claims = generator.make_claims(subjects) if size > real else []
    for subject in subjects:
        del subject["_parts"]
    sources["sources"] += generated_sources
    claims["subjects"] += subjects
    claims["claims"] += generated_claims
    pages["pages"] += generator.pages()
    for key, records in (("source", sources["sources"]), ("subject", claims["subjects"]),
                         ("claim", claims["claims"]), ("page", pages["pages"])):
        ids = [r["id"] for r in records]
        if len(ids) != len(set(ids)):
            sys.exit(f"bench: generated {key} ids collide with the bundled data")
    return sources, claims, pages, generator.page_lines, real


def write_knowledge_base(kb: KnowledgeBase) -> None:
    sources, claims, pages, page_lines, kb.real_claims = merged_records(kb.size)
    folder = kb.data
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "pages").mkdir(parents=True)
    bi.dump(folder / "sources.yaml", sources)
    bi.dump(folder / "claims.yaml", claims)
    bi.dump(folder / "pages.yaml", pages)
    for path in (REAL_DATA / "pages").glob("*.txt"):
        shutil.copyfile(path, folder / "pages" / path.name)
    for page, lines in page_lines.items():  # as bench_index.Generator.write writes them
        title = page.split("-", 2)[2].replace("-", " ").title()
        (folder / "pages" / f"{page}.txt").write_text(f"{title}\n\n" + "\n".join(lines) + "\n", encoding="utf-8")


def prepare_knowledge_base(size: int, root: Path, kb_cmd: str) -> KnowledgeBase:
    """Generate (unless a kept folder already holds this size) and index, both timed apart from the checks.

    A reused folder reports the generate and first-index times recorded when it was made (stamp.json).
    """
    home = root / f"kb-{size}"
    kb = KnowledgeBase(size, home / "data", home / "index.sqlite")
    stamp = home / "stamp.json"
    recorded = json.loads(stamp.read_text()) if stamp.is_file() else {}
    if recorded.get("size") == size and recorded.get("seed") == bi.SEED:
        bi.log(f"{size:,} claims: reusing {kb.data}")
        kb.reused = True
        kb.real_claims = len(load_yaml(REAL_DATA / "claims.yaml")["claims"])
        kb.generate_s, kb.index_s = recorded.get("generate_s", 0.0), recorded.get("index_s", 0.0)
        seconds = bi.run([kb_cmd, "index", *kb.where()], root)[0]  # a no-op unless kb's index format changed
        kb.index_s = seconds if seconds > 5 else kb.index_s
    else:
        bi.log(f"{size:,} claims: generating {kb.data}")
        start = time.perf_counter()
        write_knowledge_base(kb)
        kb.generate_s = time.perf_counter() - start
        kb.db.unlink(missing_ok=True)
        bi.log(f"{size:,} claims: kb index ...")
        kb.index_s = bi.run([kb_cmd, "index", *kb.where()], root)[0]
    kb.yaml_mb = bi.folder_size(kb.data) / 1e6
    stamp.write_text(json.dumps({"size": size, "seed": bi.SEED, "generate_s": kb.generate_s, "index_s": kb.index_s}))
    return kb


# ---------------------------------------------------------------- measuring

WRAPPER = """\
import json, resource, subprocess, sys, time
command, out = json.loads(sys.argv[1]), sys.argv[2]
with open(out, "wb") as handle:
    start = time.perf_counter()
    done = subprocess.run(command, stdout=handle, stderr=subprocess.PIPE)
    wall = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"wall": wall, "maxrss_kb": usage.ru_maxrss, "cpu": usage.ru_utime + usage.ru_stime,
                  "rc": done.returncode, "stderr": done.stderr.decode("utf-8", "replace")[-3000:]}))
"""


@dataclass
class Run:
    claims: int
    pages: int
    jobs: int
    mb: float
    walls: list[float] = field(default_factory=list)
    cpu: float = 0.0
    peak_mb: float = 0.0
    findings: int = 0
    files_with_findings: int = 0
    kb_source: str = ""

    @property
    def wall(self) -> float:
        return statistics.median(self.walls)

    @property
    def pages_per_s(self) -> float:
        return self.pages / self.wall

    @property
    def mb_per_s(self) -> float:
        return self.mb / self.wall


def kb_source() -> str:
    """A fingerprint of the kb package's source (git HEAD and a hash of kb/**/*.py): others may edit it mid-run."""
    digest = hashlib.sha256()
    for path in sorted((PROJECT / "kb").rglob("*.py")):
        digest.update(path.relative_to(PROJECT).as_posix().encode() + b"\0" + path.read_bytes())
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=PROJECT, capture_output=True, text=True,
                          check=False).stdout.strip()
    return f"git {head or '?'}, kb/*.py sha256/12 {digest.hexdigest()[:12]}"


def check_command(kb_cmd: str, corpus: Path, kb: KnowledgeBase, jobs: int) -> list[str]:
    return [kb_cmd, "check", str(corpus), "--format", "json", "--fail-on", "none", "--jobs", str(jobs), *kb.where()]


def measured(command: Sequence[str], root: Path) -> tuple[Record, Path]:
    """Run `command` under a fresh wrapper process; its wall time, CPU and peak RSS, and where stdout went."""
    out = root / "check-output.json"
    done = subprocess.run([sys.executable, "-c", WRAPPER, json.dumps(list(command)), str(out)], cwd=root,
                          env=bi.clean_env(), capture_output=True, text=True, check=True)
    result: Record = json.loads(done.stdout)
    if result["rc"] != 0:
        sys.exit(f"bench: {' '.join(command)} exited {result['rc']}\n{result['stderr']}")
    return result, out


def measure_check(kb_cmd: str, corpus: Corpus, kb: KnowledgeBase, jobs: int, root: Path, repeat: int) -> Run:
    run = Run(kb.size, corpus.pages, jobs, corpus.mb)
    bi.log(f"kb check: {kb.size:,} claims, {corpus.pages:,} pages, --jobs {jobs} (x{repeat})")
    refresh_index(kb_cmd, kb, root)
    run.kb_source = kb_source()
    for _ in range(repeat):
        result, out = measured(check_command(kb_cmd, corpus.folder, kb, jobs), root)
        run.walls.append(result["wall"])
        run.cpu = max(run.cpu, result["cpu"])
        run.peak_mb = max(run.peak_mb, result["maxrss_kb"] / 1024)
        findings = json.loads(out.read_text(encoding="utf-8"))
        run.findings, run.files_with_findings = len(findings), len({f["path"] for f in findings})
    bi.log(f"  {run.wall:.2f} s, {run.pages_per_s:.0f} pages/s, peak {run.peak_mb:.0f} MB, {run.findings} findings")
    return run


def refresh_index(kb_cmd: str, kb: KnowledgeBase, root: Path) -> None:
    """Untimed `kb index` (a no-op when fresh), so no measured check includes a rebuild after kb's index format
    changed (kb/ is edited while benchmarks run)."""
    seconds = bi.run([kb_cmd, "index", *kb.where()], root)[0]
    if seconds > 5:
        bi.log(f"  kb index rebuilt the {kb.size:,}-claim index first ({seconds:.0f} s, untimed)")


def warm_up(kb_cmd: str, corpus: Corpus, kb: KnowledgeBase, root: Path) -> None:
    """One untimed run: bytecode cache, the index's pages in the OS cache, the corpus read once."""
    measured(check_command(kb_cmd, corpus.folder, kb, 1), root)


def ripgrep(corpus: Corpus, root: Path) -> tuple[float, int] | None:
    """Median wall time of `rg -c '[0-9]+' CORPUS` over RG_RUNS runs after one warm-up, and the lines it counted."""
    rg = shutil.which("rg")
    if rg is None and os.geteuid() == 0 and shutil.which("apt-get"):
        bi.log("rg not found; trying apt-get install -y ripgrep")
        subprocess.run(["apt-get", "install", "-y", "ripgrep"], capture_output=True, check=False)
        rg = shutil.which("rg")
    if rg is None:
        bi.log("rg (ripgrep) not found: install it with `apt-get install ripgrep` (Debian/Ubuntu)")
        return None
    command = [rg, "-c", "[0-9]+", str(corpus.folder)]
    samples = []
    for attempt in range(RG_RUNS + 1):
        start = time.perf_counter()
        done = subprocess.run(command, cwd=root, capture_output=True, text=True, check=False)
        if attempt:
            samples.append(time.perf_counter() - start)
    lines = sum(int(line.rsplit(":", 1)[1]) for line in done.stdout.splitlines() if ":" in line)
    return statistics.median(samples), lines


# ---------------------------------------------------------------- report


def mark(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def find(runs: Sequence[Run], claims: int, pages: int, jobs: int) -> Run | None:
    return next((r for r in runs if (r.claims, r.pages, r.jobs) == (claims, pages, jobs)), None)


def run_rows(runs: Sequence[Run]) -> list[str]:
    """One row per measurement; the pages/s target is marked on the 10,000-claim rows of the largest corpus."""
    largest = max((r.pages for r in runs), default=0)
    header = (f"{'kb check':<10} {'claims':>8} {'pages':>6} {'jobs':>4} {'wall s':>7} {'pages/s':>8} {'MB/s':>6} "
              f"{'cpu s':>6} {'peak MB':>8} {'findings':>9} {'files hit':>9}  target")
    lines = [header, "-" * len(header)]
    for r in runs:
        target = ""
        if r.claims == 10_000 and r.pages == largest:
            target = f">={PAGES_PER_S_TARGET:.0f} pages/s {mark(r.pages_per_s >= PAGES_PER_S_TARGET)}"
        lines.append(f"{'':<10} {r.claims:>8,} {r.pages:>6,} {r.jobs:>4} {r.wall:>7.2f} {r.pages_per_s:>8.0f} "
                     f"{r.mb_per_s:>6.2f} {r.cpu:>6.1f} {r.peak_mb:>8.0f} {r.findings:>9,} {r.files_with_findings:>9,}"
                     f"  {target}")
    return lines


def claims_rows(runs: Sequence[Run], sizes: Sequence[int], pages: int, jobs: Sequence[int]) -> list[str]:
    small, large = min(sizes), max(sizes)
    if small == large:
        return []
    lines = []
    for j in jobs:
        a, b = find(runs, small, pages, j), find(runs, large, pages, j)
        if a and b:
            ratio = b.wall / a.wall
            lines.append(f"claims x{large / small:g} ({small:,} -> {large:,}), {pages:,} pages, --jobs {j}: time x"
                         f"{ratio:.2f} (target <= {CLAIMS_RATIO_TARGET:g}x) {mark(ratio <= CLAIMS_RATIO_TARGET)}")
    return lines


def fit(points: Sequence[tuple[int, float]]) -> tuple[float, float]:
    """Least-squares line through (pages, seconds): fixed seconds and seconds per page."""
    xs, ys = [x for x, _ in points], [y for _, y in points]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    slope = sum((x - mx) * (y - my) for x, y in points) / sum((x - mx) ** 2 for x in xs)
    return my - slope * mx, slope


def linearity_rows(runs: Sequence[Run], size: int, counts: Sequence[int], jobs: Sequence[int]) -> list[str]:
    """Linear in pages: the time per page at the largest corpus is at most LINEAR_SLACK times that at the smallest
    (a fixed start-up cost makes it fall; superlinear work would make it rise). The least-squares fit is shown."""
    ordered = sorted(counts)
    if len(ordered) < 2:
        return []
    lines = []
    for j in jobs:
        chosen = [r for r in (find(runs, size, n, j) for n in ordered) if r]
        if len(chosen) != len(ordered):
            continue
        per_page = [1000 * r.wall / r.pages for r in chosen]
        fixed, slope = fit([(r.pages, r.wall) for r in chosen])
        growth = per_page[-1] / per_page[0]
        lines.append(f"pages {' -> '.join(f'{n:,}' for n in ordered)} at {size:,} claims, --jobs {j}: "
                     + " -> ".join(f"{ms:.1f}" for ms in per_page)
                     + f" ms/page (x{growth:.2f}, target <= x{LINEAR_SLACK:g}); fit {fixed:.2f} s + "
                     f"{1000 * slope:.1f} ms/page {mark(growth <= LINEAR_SLACK)}")
    return lines


def consistency_rows(runs: Sequence[Run]) -> list[str]:
    """The same corpus and knowledge base must give the same findings whatever --jobs is; one kb source for all."""
    sources = list(dict.fromkeys(r.kb_source for r in runs))
    lines = [f"kb source measured: {sources[0]}"] if len(sources) == 1 else [
        f"WARNING: kb/ changed during the run ({len(sources)} versions); rows are not comparable: " + "; ".join(
            f"{r.claims:,}/{r.pages:,}/j{r.jobs}: {r.kb_source}" for r in runs)]
    for r in runs:
        other = next((o for o in runs if (o.claims, o.pages) == (r.claims, r.pages) and o.jobs > r.jobs), None)
        if other and other.findings != r.findings:
            lines.append(f"NOTE: {r.claims:,} claims, {r.pages:,} pages: {r.findings:,} findings with --jobs {r.jobs}"
                         f" but {other.findings:,} with --jobs {other.jobs} (kb/ edited between runs, or a bug)")
    return lines


def report(corpora: dict[int, Corpus], kbs: Sequence[KnowledgeBase], runs: Sequence[Run],
           rg: tuple[float, int] | None, args: argparse.Namespace) -> str:
    big = corpora[max(corpora)]
    kinds = ", ".join(f"{kind} {count}" for kind, count in sorted(big.kinds.items()))
    lines = [bi.machine(), bi.bytecode_note(),
             f"corpus: {big.pages:,} pages, {big.mb:.2f} MB ({kinds}); sha256/16 {big.digest}; subsets "
             + ", ".join(f"{c.pages:,} pages {c.mb:.2f} MB" for n, c in sorted(corpora.items()) if n != max(corpora))]
    for kb in kbs:
        reused = " (recorded when made; reused here)" if kb.reused else ""
        lines.append(f"knowledge base {kb.size:,} claims ({kb.real_claims} bundled + {kb.size - kb.real_claims:,} "
                     f"generated): {kb.yaml_mb:.1f} MB of data; generate {kb.generate_s:.1f} s, kb index "
                     f"{kb.index_s:.1f} s{reused}, not in the check figures")
    lines += [f"each kb check: median of {args.repeat} run(s) after one warm-up per knowledge base; end to end; "
              "peak MB = largest single process (ru_maxrss)", ""]
    lines += run_rows(runs)
    if rg is not None:
        seconds, counted = rg
        base = find(runs, min(kb.size for kb in kbs), big.pages, 1) or (runs[0] if runs else None)
        speed = f"; kb check --jobs 1 is x{base.wall / seconds:,.0f} the floor" if base else ""
        lines.append(f"{'rg floor':<10} {'':>8} {big.pages:>6,} {'':>4} {seconds:>7.3f} {big.pages / seconds:>8,.0f} "
                     f"{big.mb / seconds:>6.0f}   (rg -c '[0-9]+', median of {RG_RUNS}, {counted:,} lines{speed})")
    else:
        lines.append("rg floor: ripgrep not installed (apt-get install ripgrep)")
    lines.append("")
    sizes = [kb.size for kb in kbs]
    lines += claims_rows(runs, sizes, big.pages, args.jobs)
    lines += linearity_rows(runs, min(sizes), sorted(corpora), args.jobs)
    lines += consistency_rows(runs)
    best = max((r.pages_per_s for r in runs if r.claims == 10_000 and r.pages == big.pages), default=None)
    if best is not None:
        lines.append(f"pages/s at 10,000 claims, {big.pages:,} pages, best of --jobs {','.join(map(str, args.jobs))}:"
                     f" {best:.0f} (target >= {PAGES_PER_S_TARGET:.0f}) {mark(best >= PAGES_PER_S_TARGET)}")
    return "\n".join(lines)


# ---------------------------------------------------------------- profiling




def profile_check(kb_cmd: str, corpus: Corpus, kb: KnowledgeBase, root: Path, top: int = 25) -> str:
    """cProfile of one whole `kb check --jobs 1` process (imports included): top by cumulative, then by own time."""
    target = root / "check.prof"
    command = check_command(kb_cmd, corpus.folder, kb, 1)
    bi.log(f"profiling kb check: {kb.size:,} claims, {corpus.pages:,} pages")
    refresh_index(kb_cmd, kb, root)
    seconds = bi.run([sys.executable, "-c", bi.PROFILE_SCRIPT, json.dumps(command), str(target)], root)[0]
    out = [f"==== cProfile of one kb check process: {kb.size:,} claims, {corpus.pages:,} pages, --jobs 1 "
           f"({seconds:.1f} s under the profiler; {kb_source()})"]
    for sort, count in (("cumulative", top), ("tottime", 15)):
        stream = io.StringIO()
        pstats.Stats(str(target), stream=stream).strip_dirs().sort_stats(sort).print_stats(count)
        out.append(f"---- top {count} by {sort}")
        out += [line for line in stream.getvalue().splitlines() if line.strip()][2:]
    target.unlink(missing_ok=True)
    return "\n".join(out)


# ---------------------------------------------------------------- main


def numbers(text: str) -> list[int]:
    return [int(part.replace("_", "")) for part in text.split(",") if part.strip()]


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--sizes", type=numbers, default=list(DEFAULT_SIZES), help="claims (default 10000,100000)")
    parser.add_argument("--pages", type=numbers, default=list(DEFAULT_PAGES),
                        help="corpus sizes; the largest is checked at every claim size, the others at the smallest "
                             "claim size only (default 200,1000,2000)")
    parser.add_argument("--jobs", type=numbers, default=list(DEFAULT_JOBS), help="--jobs values (default 1,2)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per measurement, median reported (default 1)")
    parser.add_argument("--keep", metavar="DIR", help="work in DIR and keep it; knowledge bases there are reused")
    parser.add_argument("--profile", action="store_true",
                        help="after the table, cProfile one kb check of the smallest corpus at each size")
    parser.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    parser.add_argument("--no-bytecode-cache", action="store_true",
                        help="run processes with the environment as it is (default: a .pyc cache in the work folder)")
    parser.add_argument("--generate-only", metavar="DIR", help="write the corpus (largest --pages) to DIR and exit")
    return parser.parse_args(argv)


def measure_all(args: argparse.Namespace, root: Path, kb_cmd: str,
                corpora: dict[int, Corpus]) -> tuple[list[KnowledgeBase], list[Run]]:
    kbs, runs = [], []
    largest = max(corpora)
    for size in args.sizes:
        kb = prepare_knowledge_base(size, root, kb_cmd)
        kbs.append(kb)
        warm_up(kb_cmd, corpora[min(corpora)], kb, root)
        counts = sorted(corpora) if size == min(args.sizes) else [largest]
        for jobs in args.jobs:
            for count in counts:
                runs.append(measure_check(kb_cmd, corpora[count], kb, jobs, root, args.repeat))
    return kbs, runs


def as_json(corpora: dict[int, Corpus], kbs: Sequence[KnowledgeBase], runs: Sequence[Run],
            rg: tuple[float, int] | None) -> Record:
    return {"machine": bi.machine(), "corpora": {n: asdict(c) for n, c in corpora.items()},
            "knowledge_bases": [asdict(kb) for kb in kbs],
            "runs": [asdict(r) | {"wall": r.wall, "pages_per_s": r.pages_per_s, "mb_per_s": r.mb_per_s} for r in runs],
            "rg_seconds": rg[0] if rg else None}


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    if args.generate_only:
        files = write_corpus(Path(args.generate_only), max(args.pages))
        print(describe(Path(args.generate_only), files))
        return
    kb_cmd = bi.kb_command()
    root = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="kb-check-bench-"))
    root.mkdir(parents=True, exist_ok=True)
    if not args.no_bytecode_cache:
        bi.BYTECODE["PYTHONPYCACHEPREFIX"] = str(root / "pycache")
    try:
        bi.log(f"writing corpora of {', '.join(map(str, sorted(args.pages)))} pages in {root / 'corpus'}")
        corpora = build_corpora(root, args.pages)
        rg = ripgrep(corpora[max(corpora)], root)
        kbs, runs = measure_all(args, root, kb_cmd, corpora)
        print(report(corpora, kbs, runs, rg, args), flush=True)
        if args.json:
            Path(args.json).write_text(json.dumps(as_json(corpora, kbs, runs, rg), indent=2, default=str))
        if args.profile:
            for kb in kbs:
                print(profile_check(kb_cmd, corpora[min(corpora)], kb, root), flush=True)
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
