"""kb.fastclass behaves as `dataclasses.dataclass` does for what kb uses: each check runs on a class made by both."""

from __future__ import annotations

import dataclasses
import pickle
from typing import Any

import pytest

from kb import fastclass
from kb.records import Finding, Severity


def _pair(frozen: bool = False, order: bool = False, slots: bool = False) -> list[Any]:
    made = []
    for make in (dataclasses.dataclass, fastclass.dataclass):
        field = dataclasses.field if make is dataclasses.dataclass else fastclass.field

        class Point:
            x: int
            y: str = "a"
            tags: list[str] = field(default_factory=list)

            def shown(self) -> str:
                return f"{self.x}{self.y}"

        made.append(make(frozen=frozen, order=order, slots=slots)(Point))
    return made


@pytest.mark.parametrize("frozen", [False, True])
@pytest.mark.parametrize("slots", [False, True])
def test_same_behaviour_as_dataclasses(frozen: bool, slots: bool) -> None:
    for cls in _pair(frozen=frozen, slots=slots):
        a, b = cls(1), cls(1, "a", [])
        assert a == b and a.tags == [] and a.tags is not cls(1).tags  # a new default from the factory each time
        assert a != cls(2) and (a == (1, "a", [])) is False
        assert repr(a) == "_pair.<locals>.Point(x=1, y='a', tags=[])"
        assert a.shown() == "1a" and cls.__match_args__ == ("x", "y", "tags")
        assert cls(x=3, y="b").y == "b"
        if frozen:
            with pytest.raises(AttributeError, match="cannot assign to field 'x'"):
                a.x = 5
        else:
            assert cls.__hash__ is None
            a.x = 5
            assert a.x == 5
        assert hasattr(a, "__dict__") is not slots


@fastclass.dataclass(frozen=True, slots=True)
class _Slotted:
    x: int
    y: str = "a"


def test_frozen_slotted_records_pickle() -> None:
    """Unpickling sets the slots around the frozen `__setattr__` (as --jobs workers send records back)."""
    record = _Slotted(1, "b")
    assert pickle.loads(pickle.dumps(record)) == record and not hasattr(record, "__dict__")


def test_frozen_records_hash_and_order_as_dataclasses() -> None:
    plain, fast = _pair(frozen=True, order=True)
    for cls in (plain, fast):
        points = [cls(2, "b", []), cls(1, "z", []), cls(1, "a", [])]
        assert [p.y for p in sorted(points)] == ["a", "z", "b"]
    assert hash(fast(1, "a", ())) == hash(plain(1, "a", ())) == hash((1, "a", ()))  # type: ignore[arg-type]


def test_replace_fields_asdict() -> None:
    finding = Finding("p.md", 3, 1, 3, 9, "unsupported-claim", Severity.ERROR, "m", "text")
    moved = fastclass.replace(finding, line=9, end_line=9)
    assert (moved.line, moved.end_line, moved.path) == (9, 9, "p.md") and finding.line == 3
    with pytest.raises(TypeError, match="no field 'lines'"):
        fastclass.replace(finding, lines=2)
    assert [f.name for f in fastclass.fields(Finding)][:3] == ["path", "line", "column"]
    assert fastclass.asdict(finding)["severity"] is Severity.ERROR
    assert pickle.loads(pickle.dumps(finding)) == finding and sorted([moved, finding]) == [finding, moved]

    @dataclasses.dataclass(frozen=True)
    class Standard:
        a: int

    assert fastclass.replace(Standard(1), a=2) == Standard(2)  # a standard dataclass is handed on


def test_refuses_what_dataclasses_refuses() -> None:
    with pytest.raises(ValueError, match="mutable default"):

        @fastclass.dataclass
        class Shared:
            items: list[int] = []  # noqa: RUF012

    with pytest.raises(TypeError, match="non-default argument 'b'"):

        @fastclass.dataclass
        class Order:
            a: int = 1
            b: int  # type: ignore[misc]


def test_first_records_and_compiled_init_agree() -> None:
    """The first COMPILE_AFTER records are made field by field, later ones by the compiled `__init__`: the same."""
    seen = []

    @fastclass.dataclass(frozen=True)
    class Counted:
        a: int
        b: str = "x"
        c: list[int] = fastclass.field(default_factory=list)

        def __post_init__(self) -> None:
            seen.append(self.a)

    made = [Counted(n, b="y") if n % 2 else Counted(n) for n in range(fastclass.COMPILE_AFTER * 2)]
    assert [r.b for r in made[:4]] == ["x", "y", "x", "y"] and made[-1] == Counted(len(made) - 1, "y", [])
    assert seen[: len(made)] == list(range(len(made))) and made[0].c is not made[2].c
    assert Counted.__init__.__qualname__.endswith("Counted.__init__")

    @fastclass.dataclass
    class Fresh:
        a: int
        b: int = 2

    for call, problem in (
        (lambda: Fresh(), "missing 1 required positional argument: 'a'"),
        (lambda: Fresh(1, 2, 3), "takes 3 positional arguments but 4 were given"),
        (lambda: Fresh(1, c=3), "unexpected keyword argument 'c'"),
        (lambda: Fresh(1, a=3), "multiple values for argument 'a'"),
    ):
        with pytest.raises(TypeError, match=problem):
            call()


def test_the_standard_library_functions_work_on_these_records() -> None:
    """The API's records are documented as dataclasses: `dataclasses.replace`, `asdict`, `fields` still work."""
    finding = Finding("p.md", 3, 1, 3, 9, "unsupported-claim", Severity.ERROR, "m", "text")
    assert dataclasses.is_dataclass(finding) and dataclasses.replace(finding, line=7).line == 7
    assert [f.name for f in dataclasses.fields(Finding)] == [f.name for f in fastclass.fields(Finding)]
    assert dataclasses.asdict(finding) == fastclass.asdict(finding)

    @fastclass.dataclass
    class Made:
        x: int
        y: str = "a"
        tags: list[str] = fastclass.field(default_factory=list)

    assert dataclasses.replace(Made(1), y="b") == Made(1, "b", []) and dataclasses.asdict(Made(2))["tags"] == []
