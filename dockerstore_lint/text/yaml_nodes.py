"""YAML text -> a small tree of positioned nodes, judged the way Compose (a Go YAML 1.2 reader) reads it.

PyYAML's node API gives every key and item a position and the raw scalar text. We keep the raw text
and never trust PyYAML's YAML 1.1 typing (`10:20` is a mount, not 620); where Compose turns a value its
Go reader typed back into text (environment variables), `YScalar.typed_text` does what Go does. On top
of what PyYAML does, this module resolves merge keys itself, refuses duplicate keys as Compose does,
keeps the `!reset` and `!override` tags, bounds the document's size after alias expansion, and turns
every failure into a `Problem` instead of an exception.
"""

from __future__ import annotations

import math
import re
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator, Optional, Union

from dockerstore_lint.model.span import INVALID, Problem, Span

if TYPE_CHECKING:  # PyYAML is imported only when a YAML file is read
    from types import ModuleType
    from typing import Protocol

    from yaml.error import Mark
    from yaml.nodes import Node

    class NodeReader(Protocol):
        """What PyYAML's loaders (the C one and the Python one) do for us: read a stream into nodes."""

        def check_node(self) -> bool: ...
        def get_node(self) -> Optional[Node]: ...
        def dispose(self) -> None: ...

    YamlLoader = Callable[[str], NodeReader]

# After alias expansion; real Compose files have a few thousand nodes at most.
MAX_EXPANDED_NODES = 250_000
# Deeper than any real Compose file; keeps our recursive walks far from Python's limit.
MAX_DEPTH = 200

RESET = "!reset"
OVERRIDE = "!override"
_MERGE_TAG = "tag:yaml.org,2002:merge"


# Plain classes with slots, not dataclasses: a dataclass costs most of a millisecond to define, which every
# run pays at import. Nodes compare by identity.
class YScalar:
    __slots__ = ("value", "span", "base", "tag", "plain", "unset", "interpolated")

    def __init__(self, value: str, span: Span, base: Path, tag: str = "", plain: bool = True,
                 unset: tuple[str, ...] = (), interpolated: bool = False) -> None:
        self.value = value  # the raw text as written (quotes removed), or the interpolated text
        self.span = span
        self.base = base  # the directory relative paths in this node are resolved against
        self.tag = tag  # "!reset" / "!override" when written
        self.plain = plain  # unquoted: `null`, `~` and `` mean null only then
        self.unset = unset  # variables that interpolation found unset
        self.interpolated = interpolated  # the text had a `$`: a string for Compose, never null, a number or a boolean

    @property
    def is_null(self) -> bool:
        return self.plain and not self.interpolated and self.value in ("", "~", "null", "Null", "NULL")

    @property
    def typed_text(self) -> str:
        """The text as Compose turns the value back into a string (for environment and build args).

        Compose's YAML reader gives a plain scalar a type, and a number or a boolean is then printed the
        way Go prints it: `010` is `8`, `0x10` is `16`, `1_000` is `1000`, `1.0` is `1`, `1e6` is
        `1e+06`, `True` is `true`. Quoted and interpolated text stays as written.
        """
        if not self.plain or self.interpolated:
            return self.value
        return _go_typed_text(self.value)


class YMap:
    __slots__ = ("pairs", "span", "base", "tag")

    def __init__(self, pairs: list[tuple[YScalar, YNode]], span: Span, base: Path, tag: str = "") -> None:
        self.pairs = pairs
        self.span = span
        self.base = base
        self.tag = tag

    def get(self, key: str) -> Optional["YNode"]:
        for k, v in self.pairs:
            if k.value == key:
                return v
        return None

    def key(self, key: str) -> Optional[YScalar]:
        for k, _ in self.pairs:
            if k.value == key:
                return k
        return None


class YSeq:
    __slots__ = ("items", "span", "base", "tag")

    def __init__(self, items: list[YNode], span: Span, base: Path, tag: str = "") -> None:
        self.items = items
        self.span = span
        self.base = base
        self.tag = tag


YNode = Union[YScalar, YMap, YSeq]


class Loaded:
    __slots__ = ("documents", "problems")

    def __init__(self) -> None:
        self.documents: list[YNode] = []
        self.problems: list[Problem] = []


def load_yaml(text: str, file: str, base: Path, loader: Optional[YamlLoader] = None) -> Loaded:
    """Every document of the stream as positioned nodes, or the problem that stopped it."""
    import yaml  # only Compose files need YAML

    loader_class: YamlLoader = loader if loader is not None else getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    result = Loaded()
    reader = loader_class(text)
    # the reader's end marks may point at the start of a line after the last one: that is the end
    last = text[text.rfind("\n") + 1:]
    end = (text.count("\n") + 1, len(last) + 1)
    try:
        while reader.check_node():
            node = reader.get_node()
            if node is None:
                continue
            problem = _check_size(node, file, end)
            if problem:
                result.problems.append(problem)
                return result
            converted = _Converter(file, base, result.problems, end).convert(node, 0)
            if converted is not None:
                result.documents.append(converted)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        message = " ".join(part for part in (error.context, error.problem) if part) or str(error)
        result.problems.append(Problem(INVALID, f"invalid YAML: {message}", _mark_span(file, mark, end)))
    except yaml.YAMLError as error:  # a ReaderError has an offset, not a mark
        position = getattr(error, "position", None)
        span = _offset_span(file, text, position) if isinstance(position, int) else Span.point(file, 1)
        result.problems.append(Problem(INVALID, f"invalid YAML: {_first_line(error)}", span))
    except (ValueError, TypeError, RecursionError, OverflowError) as error:
        result.problems.append(Problem(INVALID, f"invalid YAML: {_first_line(error)}", Span.point(file, 1)))
    finally:
        reader.dispose()
    return result


def _check_size(root: Node, file: str, end: tuple[int, int]) -> Optional[Problem]:
    """Alias bombs stay small as PyYAML nodes; count what a full walk would visit, once per node."""
    import yaml

    sizes: dict[int, int] = {}
    on_stack: set[int] = set()
    # iterative post-order walk: nesting 50,000 deep must not hit Python's recursion limit
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            on_stack.discard(key)
            total = 1 + sum(sizes[id(child)] for child in _children(node, yaml))
            sizes[key] = total
            if total > MAX_EXPANDED_NODES:
                return Problem(INVALID, f"document too large: it expands to more than {MAX_EXPANDED_NODES:,} "
                                         "nodes through aliases", _mark_span(file, root.start_mark, end))
            continue
        if key in sizes:
            continue
        if key in on_stack:
            return Problem(INVALID, "invalid YAML: an alias refers to a node that contains it",
                           _mark_span(file, node.start_mark, end))
        on_stack.add(key)
        stack.append((node, True))
        for child in _children(node, yaml):
            if id(child) in on_stack:
                return Problem(INVALID, "invalid YAML: an alias refers to a node that contains it",
                               _mark_span(file, child.start_mark, end))
            if id(child) not in sizes:
                stack.append((child, False))
    return None


def _children(node: Node, yaml: ModuleType) -> Iterator[Node]:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield key
            yield value
    elif isinstance(node, yaml.SequenceNode):
        yield from node.value


class _Converter:
    def __init__(self, file: str, base: Path, problems: list[Problem], end: tuple[int, int]) -> None:
        self.file = file
        self.end = end
        self.base = base
        self.problems = problems
        self.done: dict[int, YNode] = {}  # aliases become shared nodes, never copies

    def convert(self, node: Node, depth: int) -> Optional[YNode]:
        import yaml

        known = self.done.get(id(node))
        if known is not None:
            return known
        span = _node_span(self.file, node, self.end)
        if depth > MAX_DEPTH:
            self.problems.append(Problem(INVALID, f"invalid YAML: nested more than {MAX_DEPTH} levels deep", span))
            return None
        tag = node.tag if node.tag in (RESET, OVERRIDE) else ""
        if isinstance(node, yaml.ScalarNode):
            out: YNode = YScalar(node.value, span, self.base, tag, plain=not node.style)
        elif isinstance(node, yaml.SequenceNode):
            seq = YSeq([], span, self.base, tag)
            self.done[id(node)] = seq
            for item in node.value:
                converted = self.convert(item, depth + 1)
                if converted is not None:
                    seq.items.append(converted)
            out = seq
        else:
            out = self._mapping(node, span, tag, depth)
        self.done[id(node)] = out
        return out

    def _mapping(self, node: Node, span: Span, tag: str, depth: int) -> YMap:

        mapping = YMap([], span, self.base, tag)
        self.done[id(node)] = mapping
        explicit: dict[str, YScalar] = {}
        merged: list[tuple[YScalar, YNode]] = []
        merge_line = 0
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG:
                # Go's YAML reader refuses a second `<<` in one mapping, as it refuses any other duplicate
                if merge_line:
                    self.problems.append(Problem(INVALID, f"duplicate key '<<' (first defined on line {merge_line})",
                                                 _node_span(self.file, key_node, self.end)))
                    continue
                merge_line = key_node.start_mark.line + 1
                merged.extend(self._merge_sources(value_node, depth))
                continue
            key = self.convert(key_node, depth + 1)
            if not isinstance(key, YScalar):
                self.problems.append(Problem(INVALID, "invalid YAML: a mapping key must be a string",
                                             _node_span(self.file, key_node, self.end)))
                continue
            if key.value in explicit:
                first = explicit[key.value].span.line
                self.problems.append(Problem(INVALID, f"duplicate key '{key.value}' (first defined on line {first})",
                                             key.span))
                continue
            value = self.convert(value_node, depth + 1)
            if value is None:
                continue
            explicit[key.value] = key
            mapping.pairs.append((key, value))
        # `<<` entries come first and never override an explicit key; earlier merges win over later ones
        seen = set(explicit)
        inherited = []
        for key, value in merged:
            if key.value not in seen:
                seen.add(key.value)
                inherited.append((key, value))
        mapping.pairs[:0] = inherited
        return mapping

    def _merge_sources(self, value_node: Node, depth: int) -> list[tuple[YScalar, YNode]]:
        import yaml

        sources = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
        pairs: list[tuple[YScalar, YNode]] = []
        for source in sources:
            converted = self.convert(source, depth + 1)
            if isinstance(converted, YMap):
                pairs.extend(converted.pairs)
            elif converted is not None:
                self.problems.append(Problem(INVALID, "invalid YAML: `<<` can only merge mappings", converted.span))
        return pairs


_BOOLEANS = {"true": "true", "True": "true", "TRUE": "true", "false": "false", "False": "false", "FALSE": "false"}
_INFINITIES = {".inf": "+Inf", ".Inf": "+Inf", ".INF": "+Inf", "+.inf": "+Inf", "+.Inf": "+Inf", "+.INF": "+Inf",
               "-.inf": "-Inf", "-.Inf": "-Inf", "-.INF": "-Inf", ".nan": "NaN", ".NaN": "NaN", ".NAN": "NaN"}
_GO_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
_GO_INT = re.compile(r"([-+]?)(0[xX][0-9a-fA-F]+|0[oO]?[0-7]+|0[bB][01]+|[1-9][0-9]*|0)")
# the timestamps Go's YAML reader knows that are in UTC whatever the machine: a date, or a date and a
# time with no zone or `Z` (one with a numeric offset prints in the reader's local zone, so it is left alone)
_GO_TIMESTAMP = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})"
                           r"(?:(?:[Tt]([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2})(?:\.([0-9]+))?Z)"
                           r"|(?: ([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2})(?:\.([0-9]+))?))?")


def _go_typed_text(text: str) -> str:
    if text in _BOOLEANS:
        return _BOOLEANS[text]
    if text in _INFINITIES:
        return _INFINITIES[text]
    if not text or text[0] not in "0123456789+-." or text == "-0":
        return text  # nothing else can be a number; `-0` is read as a negative zero, printed `-0`
    if text[0] == ".":
        return _go_float_text(text, text)
    timestamp = _go_timestamp(text)
    if timestamp is not None:
        return timestamp
    digits = text.replace("_", "")
    number = _GO_INT.fullmatch(digits)
    # past 20 decimal digits a number is beyond 64 bits anyway (and Python refuses to convert
    # a few thousand digits to an int): it can only be read as a float
    if number is not None and (number.group(2)[:2].lower() in ("0x", "0o", "0b") or len(number.group(2)) <= 20):
        sign, body = number.groups()
        base = {"0x": 16, "0o": 8, "0b": 2}.get(body[:2].lower())
        # `010` is octal, as in YAML 1.1
        value = int(body[2:], base) if base else int(body, 8 if len(body) > 1 and body[0] == "0" else 10)
        value = -value if sign == "-" else value
        if -2**63 <= value < 2**64:
            return str(value)
    return _go_float_text(digits, text)


def _go_float_text(number: str, text: str) -> str:
    """`number` as Go prints the float its reader makes of it; `text` when it reads no float: not a
    number, or beyond float64's range (Go refuses `1e999` where Python makes it infinite)."""
    if not _GO_FLOAT.fullmatch(number):
        return text
    value = float(number)
    return text if math.isinf(value) else _go_float(value)


def _go_float(value: float) -> str:
    """Go's `%v` of a float64: the shortest digits that read back as the same number, with an exponent
    (`1e+06`, `1.5e-07`) when it is below -4 or at least 6."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    sign = "-" if math.copysign(1.0, value) < 0 else ""
    if value == 0:
        return sign + "0"
    from decimal import Decimal  # only for numbers in environment values and build args

    exact = Decimal(repr(abs(value))).normalize()
    exponent = exact.adjusted()
    if -4 <= exponent < 6:
        return sign + format(exact, "f")
    digits = "".join(str(digit) for digit in exact.as_tuple().digits)
    mantissa = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
    return f"{sign}{mantissa}e{exponent:+03d}"


def _go_timestamp(text: str) -> Optional[str]:
    """Go's `time.Time.String()` of a timestamp its YAML reader recognises, for the UTC ones."""
    match = _GO_TIMESTAMP.fullmatch(text)
    if match is None:
        return None
    year, month, day = (int(part) for part in match.group(1, 2, 3))
    clock = match.group(4, 5, 6) if match.group(4) else match.group(8, 9, 10)
    fraction = (match.group(7) or match.group(11) or "").rstrip("0")
    hour, minute, second = (int(part) for part in clock) if clock[0] else (0, 0, 0)
    try:
        moment = datetime(year, month, day, hour, minute, second)
    except ValueError:
        return None  # Go refuses it too, and reads the text as a string
    return moment.strftime("%Y-%m-%d %H:%M:%S") + ("." + fraction if fraction else "") + " +0000 UTC"


def text_of(node: Optional[YNode]) -> str:
    """A scalar's text; "" for null, a missing key, or a mapping/sequence where a string was wanted."""
    return node.value if isinstance(node, YScalar) and not node.is_null else ""


def is_null(node: Optional[YNode]) -> bool:
    return isinstance(node, YScalar) and node.is_null


def is_true(node: Optional[YNode]) -> bool:
    # Compose casts a boolean after interpolation with YAML 1.1's words, in any case: y, yes, true, on
    # (`1` and `t` are errors for it, not true)
    return isinstance(node, YScalar) and node.value.lower() in ("y", "yes", "true", "on")


def sequence_items(node: Optional[YNode]) -> list[YNode]:
    """Items of a sequence; a lone scalar counts as a one-item sequence, as Compose allows for tmpfs."""
    if isinstance(node, YSeq):
        return node.items
    if isinstance(node, YScalar) and not node.is_null:
        return [node]
    return []



def _node_span(file: str, node: Node, end: tuple[int, int]) -> Span:
    start = min((node.start_mark.line + 1, node.start_mark.column + 1), end)
    stop = min((node.end_mark.line + 1, node.end_mark.column + 1), end)
    return Span(file, *start, *stop)


def _mark_span(file: str, mark: Optional[Mark], end: tuple[int, int]) -> Span:
    if mark is None:
        return Span.point(file, 1)
    return Span.point(file, *min((mark.line + 1, mark.column + 1), end))


def _offset_span(file: str, text: str, offset: int) -> Span:
    offset = max(0, min(offset, len(text)))
    line = text.count("\n", 0, offset) + 1
    return Span.point(file, line, offset - (text.rfind("\n", 0, offset) + 1) + 1)


def _first_line(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0]
