"""The `kb check` page corpus: page i is seed page i mod 5 (data/pages/*.txt) with its figures, wording and
paragraph order varied, a paragraph of claim-like sentences added, written as .txt, .md (YAML front matter,
headings, a fenced code block) or .html (<script>, <style>, <nav>, <p>, <ul>). Each page has its own seeded
`random.Random`, so smaller corpora are the first pages of larger ones (`build_corpora` hard-links them).
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import random
import re
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from . import REAL_DATA
from .knowledge import Generator, Loader
from .variation import shuffle_paragraphs, swap_words, vary_figures
from .wording import Wording
from .words import CONDITIONS, MEASURES, PAGE_LEADS, POPULATIONS, TREATMENTS

CORPUS_SEED = 20241122
PAGES_PER_SECTION = 100
KIND_WEIGHTS = (("txt", 0.40), ("md", 0.35), ("html", 0.25))
TITLE_TAILS = ("", "", " | Updated", " (2024 update)", " - What Patients Should Know", " | Patient Guide")


@dataclass(frozen=True)
class Seed:
    name: str
    title: str
    paragraphs: tuple[str, ...]


def load_seeds(data: Path = REAL_DATA) -> list[Seed]:
    titles = {
        Path(p["file"]).stem: p.get("title", p["id"])
        for p in yaml.load((data / "pages.yaml").read_text(encoding="utf-8"), Loader=Loader)["pages"]
    }
    seeds = []
    for path in sorted((data / "pages").glob("*.txt")):
        paragraphs = tuple(p.strip("\n") for p in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")) if p.strip())
        seeds.append(Seed(path.stem, titles.get(path.stem, path.stem.replace("-", " ").title()), paragraphs))
    return seeds


def claim_paragraph(generator: Wording, rng: random.Random) -> str:
    """Two to five claim-like sentences in the generated knowledge base's vocabulary: figures, ranges, hedges."""
    generator.rng = rng
    sentences = []
    for _ in range(rng.randint(2, 5)):
        parts = (rng.choice(TREATMENTS), rng.choice(CONDITIONS), rng.choice(POPULATIONS), rng.choice(list(MEASURES)))
        lead = rng.choice(PAGE_LEADS)
        text = generator.sentence(parts)[0]
        sentences.append(f"{lead}{text[0].lower() + text[1:] if lead and not lead.endswith('. ') else text}.")
    return " ".join(sentences)


def page_paragraphs(seed: Seed, generator: Wording, rng: random.Random) -> list[str]:
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
    return (
        f"```sh\n# dosing calculator example: {rate} mg/kg over {minutes} minutes\n"
        f"dose --weight {weight} --rate {rate} --minutes {minutes}  # {rng.randint(10, 95)}% of max\n```"
    )


def as_md(title: str, paragraphs: list[str], rng: random.Random) -> str:
    front = (
        f"---\ntitle: {json.dumps(title)}\ndate: {rng.randint(2015, 2024)}-{rng.randint(1, 12):02d}-"
        f"{rng.randint(1, 28):02d}\ntags: [ketamine, migraine, {rng.choice(CONDITIONS)!r}]\n"
        f"weight: {rng.randint(1, 100)}\n---\n"
    )
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
    script = (
        f'window.dataLayer = [{{"page": {rng.randint(1, 9999)}, "price": {price}, "ttl": 86400, '
        f'"ratio": 0.{rng.randint(10, 99)}}}];'
    )
    head = (
        f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(title)}</title>\n<style>p {{ margin: 0 0 12px; }} h2 {{ font-size: 24px; }}</style>\n"
        f"<script>{script}</script>\n</head>\n"
    )
    nav = (
        f'<nav><a href="/">Home</a> <a href="/pricing">Infusions from ${price}</a> '
        f'<a href="/contact">Call (555) 010-{rng.randint(1000, 9999)}, open 24/7</a></nav>\n'
    )
    body = "\n".join(html_block(p) for p in paragraphs)
    return (
        f"{head}<body>\n{nav}<main>\n<h1>{html.escape(title)}</h1>\n{body}\n</main>\n"
        f"<footer>&copy; {year - 5}-{year} All rights reserved. 100% secure booking.</footer>\n</body>\n</html>\n"
    )


WRITERS: dict[str, Callable[[str, list[str], random.Random], str]] = {"txt": as_txt, "md": as_md, "html": as_html}


def make_page(index: int, seeds: Sequence[Seed], generator: Wording) -> tuple[str, str]:
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
    seeds, generator = load_seeds(), Generator(10_000)  # the generator only for its vocabulary of names
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
