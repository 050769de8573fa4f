"""`dataclass` for the records on `kb check`'s path, at a fraction of the standard library's cost to define a class.

`dataclasses` compiles each class's methods from source (~1 ms a class here) and imports `inspect`: with the ~50
records a single-page check defines, a fifth of the process. Here comparisons and hashing work on the tuple of
fields, compiling nothing, and `__init__` sets the fields one by one for a class's first records, then is compiled
as dataclasses writes it. What kb uses behaves as the standard library's: `frozen`, `order`, `slots`, defaults,
`field(default=…, default_factory=…)`, a class's own methods, `__post_init__`, `replace`, `fields`, `asdict`, and
`dataclasses`' own functions on these records. Not covered: `InitVar`, `KW_ONLY`, `ClassVar` fields.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from operator import attrgetter, eq, ge, gt, le, lt
from typing import TYPE_CHECKING, Any, TypeVar, overload

if TYPE_CHECKING:
    from typing_extensions import dataclass_transform
elif sys.version_info >= (3, 11):
    from typing import dataclass_transform
else:  # only a marker for type checkers

    def dataclass_transform(**_: Any) -> Callable[[Any], Any]:
        return lambda decorated: decorated


T = TypeVar("T")
MISSING: Any = type("MISSING", (), {"__repr__": lambda self: "MISSING"})()
_FIELDS = "__kb_fields__"


class FrozenInstanceError(AttributeError):
    """Assigning to a field of a frozen record (as `dataclasses.FrozenInstanceError`)."""


class Field:
    """One field: its name, and its default or the factory called for one."""

    __slots__ = ("name", "default", "default_factory")

    def __init__(self, default: Any = MISSING, default_factory: Any = MISSING) -> None:
        self.name = ""
        self.default = default
        self.default_factory = default_factory


def field(*, default: Any = MISSING, default_factory: Callable[[], Any] | Any = MISSING) -> Any:
    if default is not MISSING and default_factory is not MISSING:
        raise ValueError("cannot specify both default and default_factory")
    return Field(default, default_factory)


@overload
@dataclass_transform(field_specifiers=(field, Field))
def dataclass(cls: type[T], /) -> type[T]: ...


@overload
def dataclass(*, frozen: bool = False, order: bool = False, slots: bool = False) -> Callable[[type[T]], type[T]]: ...


def dataclass(
    cls: type[T] | None = None, /, *, frozen: bool = False, order: bool = False, slots: bool = False
) -> type[T] | Callable[[type[T]], type[T]]:
    """A record class: fields from the annotations, with `__init__`, `__repr__` and `__eq__` (`__hash__` when
    frozen, the four comparisons with `order`), as `dataclasses.dataclass` makes them."""

    def wrap(klass: type[T]) -> type[T]:
        return _process(klass, frozen, order, slots)

    return wrap if cls is None else wrap(cls)


def fields(record: Any) -> tuple[Field, ...]:
    found: tuple[Field, ...] = getattr(record, _FIELDS)  # AttributeError: not one of these records
    return found


def replace(record: T, /, **changes: Any) -> T:
    """A copy of `record` with some fields changed; a standard dataclass is handed to `dataclasses.replace`."""
    if not hasattr(type(record), _FIELDS):
        import dataclasses

        return dataclasses.replace(record, **changes)  # type: ignore[type-var]
    names = {f.name for f in fields(record)}
    unknown = set(changes) - names
    if unknown:
        raise TypeError(f"{type(record).__name__} has no field {sorted(unknown)[0]!r}")
    values = {name: changes[name] if name in changes else getattr(record, name) for name in names}
    return type(record)(**values)


def asdict(record: Any) -> dict[str, Any]:
    """The fields as a dict, one level (kb's records hold plain values; `dataclasses.asdict` also works on them)."""
    return {f.name: getattr(record, f.name) for f in fields(record)}


def _collect(cls: type) -> list[Field]:
    """Fields of the bases (in order), then this class's own annotations."""
    found: dict[str, Field] = {}
    for base in reversed(cls.__mro__[1:]):
        for inherited in base.__dict__.get(_FIELDS, ()):
            found[inherited.name] = inherited
    for name, annotation in cls.__dict__.get("__annotations__", {}).items():
        if str(annotation).startswith(("ClassVar", "typing.ClassVar")):
            continue
        value = cls.__dict__.get(name, MISSING)
        made = value if isinstance(value, Field) else Field(value)
        made.name = name
        if made.default is not MISSING and type(made.default).__hash__ is None:
            raise ValueError(f"mutable default {type(made.default)} for field {name} is not allowed")
        if made.default is MISSING and name in cls.__dict__:
            delattr(cls, name)  # a factory's Field left on the class
        elif made.default is not MISSING:
            setattr(cls, name, made.default)
        found[name] = made
    return list(found.values())


def _init_source(own: list[Field], frozen: bool, post_init: bool) -> str:
    """`__init__` as source, as dataclasses writes it (so making a record costs what it costs with dataclasses)."""
    params = []
    for f in own:
        if f.default_factory is not MISSING:
            params.append(f"{f.name}=_HAS_FACTORY")
        elif f.default is not MISSING:
            params.append(f"{f.name}=_dflt_{f.name}")
        elif any(p.partition("=")[2] for p in params):
            raise TypeError(f"non-default argument {f.name!r} follows default argument")
        else:
            params.append(f.name)
    assign = "_setattr(self, {0!r}, {1})" if frozen else "self.{0} = {1}"
    body = [
        assign.format(f.name, f"_factory_{f.name}() if {f.name} is _HAS_FACTORY else {f.name}")
        if f.default_factory is not MISSING
        else assign.format(f.name, f.name)
        for f in own
    ]
    if post_init:
        body.append("self.__post_init__()")
    return "\n".join([f"def __init__(self, {', '.join(params)}):", *(f"  {line}" for line in body or ["pass"])])


# Records of a class made field by field (~1.4x the time of a compiled `__init__`) before it is compiled (~0.5 ms)
COMPILE_AFTER = 100


def _lazy_init(cls: type, every: list[Field], frozen: bool) -> Callable[..., None]:
    """An `__init__` that sets the fields one by one for a class's first records, then compiles the real one:
    compiling is most of what defining a record costs (~1 ms a class here), and most classes make a few records."""
    post_init = hasattr(cls, "__post_init__")
    source = _init_source(every, frozen, post_init)  # made now: a class with a bad field order fails at once
    names = {f.name for f in every}
    setter = object.__setattr__ if frozen else setattr
    made = 0
    compiled: Callable[..., None] | None = None

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        nonlocal made, compiled
        made += 1
        if made > COMPILE_AFTER:
            compiled = compiled or _compiled(cls, every, source)
            compiled(self, *args, **kwargs)
            return
        if len(args) > len(every):
            raise TypeError(f"__init__() takes {len(every) + 1} positional arguments but {len(args) + 1} were given")
        values = dict(zip((f.name for f in every), args, strict=False))
        for name, value in kwargs.items():
            if name not in names or name in values:
                problem = "multiple values for argument" if name in values else "an unexpected keyword argument"
                raise TypeError(f"__init__() got {problem} {name!r}")
            values[name] = value
        for f in every:
            if f.name in values:
                value = values[f.name]
            elif f.default is not MISSING:
                value = f.default
            elif f.default_factory is not MISSING:
                value = f.default_factory()
            else:
                raise TypeError(f"__init__() missing 1 required positional argument: {f.name!r}")
            setter(self, f.name, value)
        if post_init:
            self.__post_init__()

    return __init__


def _compiled(cls: type, every: list[Field], source: str) -> Callable[..., None]:
    scope: dict[str, Any] = {"_HAS_FACTORY": MISSING, "_setattr": object.__setattr__}
    for f in every:
        scope[f"_dflt_{f.name}"] = f.default
        scope[f"_factory_{f.name}"] = f.default_factory
    exec(source, scope)  # noqa: S102 - kb's own generated source, as dataclasses does
    real: Callable[..., None] = scope["__init__"]
    real.__qualname__ = f"{cls.__qualname__}.__init__"
    cls.__init__ = real  # type: ignore[misc]
    return real


def _methods(cls: type, names: list[str], frozen: bool, order: bool, hashed: bool) -> dict[str, Any]:
    """`__repr__`, `__eq__`, the comparisons, `__hash__` and the frozen `__setattr__`, on the tuple of fields."""

    def fields_of(self: Any) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in names)

    key: Callable[[Any], tuple[Any, ...]] = attrgetter(*names) if len(names) > 1 else fields_of
    fixed = frozenset(names)

    def __repr__(self: Any) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in names)
        return f"{self.__class__.__qualname__}({shown})"

    def compare(operator: Callable[[Any, Any], bool]) -> Callable[[Any, Any], Any]:
        def method(self: Any, other: Any) -> Any:
            return operator(key(self), key(other)) if other.__class__ is self.__class__ else NotImplemented

        return method

    def __setattr__(self: Any, name: str, value: Any) -> None:
        if type(self) is cls or name in fixed:
            raise FrozenInstanceError(f"cannot assign to field {name!r}")
        object.__setattr__(self, name, value)  # a subclass's own attribute

    def __delattr__(self: Any, name: str) -> None:
        if type(self) is cls or name in fixed:
            raise FrozenInstanceError(f"cannot delete field {name!r}")
        object.__delattr__(self, name)

    made: dict[str, Any] = {"__repr__": __repr__, "__eq__": compare(eq)}
    if order:
        made |= {"__lt__": compare(lt), "__le__": compare(le), "__gt__": compare(gt), "__ge__": compare(ge)}
    if hashed:
        made["__hash__"] = lambda self: hash(key(self))
    if frozen:
        made |= {"__setattr__": __setattr__, "__delattr__": __delattr__}
    return made


def _process(cls: type[T], frozen: bool, order: bool, slots: bool) -> type[T]:
    every = _collect(cls)
    names = [f.name for f in every]
    own_hash = cls.__dict__.get("__hash__", MISSING)  # None with an __eq__ of its own: Python's, not the class's
    keeps_hash = own_hash is not MISSING and (own_hash is not None or "__eq__" not in cls.__dict__)
    if slots:
        cls = _slotted(cls, names, frozen)
    made = _methods(cls, names, frozen, order, frozen and not keeps_hash)
    made["__init__"] = _lazy_init(cls, every, frozen)
    for name, method in made.items():
        if name in ("__setattr__", "__delattr__") and name in cls.__dict__:
            raise TypeError(f"cannot overwrite attribute {name} in class {cls.__name__}")
        if name not in cls.__dict__ or name in ("__setattr__", "__delattr__"):
            method.__qualname__ = f"{cls.__qualname__}.{name}"
            setattr(cls, name, method)
    if not frozen and not keeps_hash:
        cls.__hash__ = None  # type: ignore[assignment]  # mutable and compared by value, as dataclasses does
    setattr(cls, _FIELDS, tuple(every))
    setattr(cls, "__dataclass_fields__", _StandardFields())  # noqa: B010 - class attributes mypy does not know
    if "__match_args__" not in cls.__dict__:
        setattr(cls, "__match_args__", tuple(names))  # noqa: B010
    return cls


class _StandardFields:
    """`__dataclass_fields__`, made on first use: `dataclasses.replace`, `asdict` and the rest work on these records."""

    def __get__(self, instance: Any, owner: type) -> dict[str, Any]:
        import dataclasses

        made = {}
        for own in owner.__dict__[_FIELDS]:
            values: Any = (dataclasses.MISSING if v is MISSING else v for v in (own.default, own.default_factory))
            standard: Any = dataclasses.field(**dict(zip(("default", "default_factory"), values, strict=True)))
            standard.name, standard.type = own.name, owner.__annotations__.get(own.name)
            standard._field_type = dataclasses._FIELD  # type: ignore[attr-defined]  # what dataclasses sets
            made[own.name] = standard
        return made


def _slotted(cls: type[T], names: list[str], frozen: bool) -> type[T]:
    """The class made again with `__slots__` (a class's slots cannot be added after it is made)."""
    body = dict(cls.__dict__)
    inherited = {slot for base in cls.__mro__[1:] for slot in getattr(base, "__slots__", ())}
    body["__slots__"] = tuple(name for name in names if name not in inherited)
    for name in (*names, "__dict__", "__weakref__"):
        body.pop(name, None)
    if frozen:  # unpickling sets slots through __setattr__, which a frozen record refuses

        def __getstate__(self: Any) -> list[Any]:
            return [getattr(self, name) for name in names]

        def __setstate__(self: Any, state: list[Any]) -> None:
            for name, value in zip(names, state, strict=True):
                object.__setattr__(self, name, value)

        body |= {"__getstate__": __getstate__, "__setstate__": __setstate__}
    made: type[T] = type(cls.__name__, cls.__bases__, body)
    made.__qualname__ = cls.__qualname__
    return made
