"""Commands whose options are declared once, as a table, and parsed two ways: by argparse on the hot path, and by
Typer (generated from the same table in `kb.cli.app`) for help and anything argparse cannot read.

Typer validates every option through a pydantic TypeAdapter: importing and running it costs ~150 ms a process
before any work is done, more than `kb check` on one page takes. `kb.cli.main` sends a plain `kb check …` or
`kb search …` to `fast_main`, which parses the same table with argparse; `--help`, and any command line argparse
rejects, go to Typer, so usage errors and help read exactly as every other command's.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import Any

from kb.errors import report
from kb.fastclass import dataclass


@dataclass(frozen=True)
class Opt:
    """One option: its flags, the keyword it is passed as, its help and default; `flag` for an on/off switch."""

    flags: tuple[str, ...]
    dest: str
    help: str
    default: Any = None
    kind: type = str
    repeat: bool = False
    choices: tuple[str, ...] | None = None
    flag: bool = False
    minimum: int | None = None


@dataclass(frozen=True)
class Arg:
    """The positional argument: one optional value (`many=False`) or any number of them."""

    dest: str
    help: str
    many: bool = False


class _CannotParse(Exception):
    """argparse met something it cannot read; Typer then handles the whole command line."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:
        raise _CannotParse(message)


def _formatter(prog: str) -> argparse.HelpFormatter:
    # A set width: argparse otherwise imports shutil for the terminal's, and this parser never prints help (Typer does).
    return argparse.HelpFormatter(prog, width=80)


def parser(prog: str, argument: Arg, options: Sequence[Opt]) -> argparse.ArgumentParser:
    parsed = _Parser(prog=prog, add_help=False, allow_abbrev=False, formatter_class=_formatter)
    if argument.many:
        parsed.add_argument(argument.dest, nargs="*", default=[])
    else:
        parsed.add_argument(argument.dest, nargs="?", default="")
    for opt in options:
        if opt.flag:
            parsed.add_argument(*opt.flags, dest=opt.dest, action="store_true", default=False)
            continue
        action = "append" if opt.repeat else "store"
        parsed.add_argument(
            *opt.flags, dest=opt.dest, default=opt.default, type=opt.kind, action=action, choices=opt.choices
        )
    return parsed


def fast_main(
    argv: Sequence[str], prog: str, argument: Arg, options: Sequence[Opt], body: Callable[..., int | None]
) -> int | None:
    """Parse `argv` with argparse and run `body(**options)`; None when Typer must handle the command line (help,
    usage errors, a value below an option's minimum: Typer words those errors)."""
    try:
        values = vars(parser(prog, argument, options).parse_args(list(argv)))
    except _CannotParse:
        return None
    if any(opt.minimum is not None and values[opt.dest] < opt.minimum for opt in options):
        return None
    try:
        code = body(**values)
    except BaseException as exc:  # noqa: BLE001 - the contract covers every exception (kb.errors.outcome)
        return report(exc, lambda text: sys.stderr.write(text))
    return code or 0
