"""Fix intents -> edits of the text as written: the smallest change that does what the intent says.

Positions are the model's: 1-based lines and columns of the text with `\\r\\n` read as `\\n`, which are also
the file's own (a `\\r` only ever ends a line). Every function returns None when the text is not what it
expects (a multi-line entry, a flow mapping where a line would be added, a value written with escapes),
and the finding is then reported without a fix: a wrong edit is worse than none.
"""

from __future__ import annotations

import json
import re
from typing import Callable, Optional

from dockerstore_lint.finding import Edit
from dockerstore_lint.fixes.intents import (
    AddReadOnly,
    AddShield,
    DeclareVolume,
    Intent,
    NameVolume,
    QuoteVolumes,
    RemoveVolume,
    ReplaceMode,
    SetTarget,
)
from dockerstore_lint.model.container import Mount
from dockerstore_lint.model.span import Span

Lines = Callable[[str], list[str]]  # a file's lines, by display path

_QUOTES = "'\""
_MOUNT_TARGET = re.compile(r"(?:^|,)(?:target|dst|destination)=([^,]*)")


def edits_for(intent: Intent, lines_of: Lines) -> Optional[tuple[Edit, ...]]:
    if isinstance(intent, SetTarget):
        return _set_target(intent, lines_of)
    if isinstance(intent, AddReadOnly):
        return _add_read_only(intent.mount, lines_of)
    if isinstance(intent, ReplaceMode):
        return _replace_mode(intent, lines_of)
    if isinstance(intent, NameVolume):
        return _name_volume(intent, lines_of)
    if isinstance(intent, DeclareVolume):
        return _declare(intent, lines_of)
    if isinstance(intent, RemoveVolume):
        return _remove_volume(intent, lines_of)
    if isinstance(intent, AddShield):
        return _add_shield(intent, lines_of)
    return _quote_volumes(intent)


class _Entry:
    """A one-line entry as written: the text of its span, without the quotes around it if it has any."""

    def __init__(self, span: Span, lines_of: Lines) -> None:
        self.span = span
        lines = lines_of(span.file)
        self.ok = span.line == span.end_line and 0 < span.line <= len(lines)
        line = lines[span.line - 1] if self.ok else ""
        text = line[span.column - 1:span.end_column - 1]
        self.quote = text[0] if len(text) >= 2 and text[0] in _QUOTES and text[-1] == text[0] else ""
        self.start = span.column + len(self.quote)  # column of the first character inside the quotes
        self.text = text[len(self.quote):len(text) - len(self.quote)]
        # an escape in a double-quoted YAML or shell string would shift positions: not edited
        self.ok = self.ok and bool(text) and not (self.quote == '"' and "\\" in self.text)

    def edit(self, start: int, end: int, text: str) -> Edit:
        """Replace characters [start, end) of the entry's text (quotes not counted)."""
        line = self.span.line
        return Edit(Span(self.span.file, line, self.start + start, line, self.start + end), text)


def _set_target(intent: SetTarget, lines_of: Lines) -> Optional[tuple[Edit, ...]]:
    mount = intent.mount
    if mount.target is None:
        return None
    if mount.written_as == "compose-long" and mount.target_span is not None:
        entry = _Entry(mount.target_span, lines_of)
        return (entry.edit(0, len(entry.text), intent.target),) if entry.ok else None
    entry = _Entry(mount.span, lines_of)
    if not entry.ok:
        return None
    if mount.written_as == "docker-mount":
        match = _MOUNT_TARGET.search(entry.text)
        return (entry.edit(match.start(1), match.end(1), intent.target),) if match else None
    if mount.written_as not in ("compose-short", "docker-v"):
        return None
    # `[SOURCE:]TARGET[:MODES]`: the target is the field that reads as the mount's target
    fields = _fields(entry.text)
    found = [(start, end) for start, end in fields if _same_path(entry.text[start:end], mount.target.text)]
    if len(found) != 1:
        return None
    start, end = found[0]
    return (entry.edit(start, end, intent.target),)


def _fields(text: str) -> list[tuple[int, int]]:
    """Where the `:`-separated fields of a short volume spec are (a drive letter's colon does not separate)."""
    fields, start = [], 0
    for index, char in enumerate(text):
        if char == ":" and not (index - start == 1 and text[start].isalpha()):
            fields.append((start, index))
            start = index + 1
    fields.append((start, len(text)))
    return fields


def _same_path(written: str, target: str) -> bool:
    return written.rstrip("/") == target.rstrip("/") or written.replace("\\", "/").rstrip("/") == target


def _add_read_only(mount: Mount, lines_of: Lines) -> Optional[tuple[Edit, ...]]:
    if mount.written_as == "compose-long":
        return _add_key(mount.span, "read_only: true", lines_of)
    entry = _Entry(mount.span, lines_of)
    if not entry.ok:
        return None
    if mount.written_as == "docker-mount":
        if re.search(r"(?:^|,)(?:readonly|ro)=", entry.text):
            return None  # `readonly=false` written out: the author decided
        return (entry.edit(len(entry.text), len(entry.text), ",readonly"),)
    if mount.written_as not in ("compose-short", "docker-v"):
        return None
    if len(_fields(entry.text)) < 3:
        return (entry.edit(len(entry.text), len(entry.text), ":ro"),)
    # a third field holds the modes: `rw` becomes `ro` (Docker refuses both), else one more mode
    rw = _mode_at(entry.text, "rw")
    if rw is not None:
        return (entry.edit(*rw, "ro"),)
    return (entry.edit(len(entry.text), len(entry.text), ",ro"),)


def _mode_at(text: str, mode: str) -> Optional[tuple[int, int]]:
    """Where `mode` is among the modes of a short volume spec, when it is there once."""
    fields = _fields(text)
    if len(fields) < 3:
        return None
    start, end = fields[-1]
    modes = text[start:end].split(",")
    if modes.count(mode) != 1:
        return None
    at = start + sum(len(m) + 1 for m in modes[:modes.index(mode)])
    return at, at + len(mode)


def _add_key(span: Span, pair: str, lines_of: Lines) -> Optional[tuple[Edit, ...]]:
    """A `key: value` added to a long-syntax mapping: a line in block style, an item in flow style."""
    lines = lines_of(span.file)
    if not 0 < span.line <= span.end_line <= len(lines):
        return None
    first = lines[span.line - 1]
    if first[span.column - 1:span.column] == "{":
        last = lines[span.end_line - 1]
        close = span.end_column - 2
        if last[close:close + 1] != "}":
            return None
        return (Edit(Span(span.file, span.end_line, close + 1, span.end_line, close + 1), f", {pair}"),)
    # block style: after the mapping's last line, at the column of its keys; the mapping's end is where the
    # next token starts, maybe the next item's `- ` on a later line
    end_line = span.end_line
    if lines[end_line - 1][:span.end_column - 1].strip() in ("", "-"):
        end_line -= 1
    while end_line > span.line and not lines[end_line - 1].strip():
        end_line -= 1
    indent = " " * (span.column - 1)
    at = len(lines[end_line - 1]) + 1
    return (Edit(Span(span.file, end_line, at, end_line, at), f"\n{indent}{pair}"),)


def _replace_mode(intent: ReplaceMode, lines_of: Lines) -> Optional[tuple[Edit, ...]]:
    entry = _Entry(intent.mount.span, lines_of)
    if not entry.ok or intent.mount.written_as not in ("compose-short", "docker-v"):
        return None
    wrong = _mode_at(entry.text, intent.wrong)
    # `ro,readonly`: the edit would write the mode twice, which Docker refuses
    if wrong is None or _mode_at(entry.text, intent.right) is not None:
        return None
    return (entry.edit(*wrong, intent.right),)


def _name_volume(intent: NameVolume, lines_of: Lines) -> Optional[tuple[Edit, ...]]:
    mount = intent.mount
    if mount.written_as == "compose-long":
        named = _add_key(mount.span, f"source: {intent.name}", lines_of)
    elif mount.written_as in ("compose-short", "docker-v"):
        entry = _Entry(mount.span, lines_of)
        named = (entry.edit(0, 0, f"{intent.name}:"),) if entry.ok else None
    elif mount.written_as == "docker-mount":
        entry = _Entry(mount.span, lines_of)
        named = (entry.edit(len(entry.text), len(entry.text), f",source={intent.name}"),) if entry.ok else None
    else:
        named = None
    if named is None:
        return None
    if intent.group.volumes_on_demand:
        return named  # `docker run` creates a named volume on first use
    declared = _declare(DeclareVolume(intent.group, intent.name), lines_of)
    return named + declared if declared is not None else None


def _declare(intent: DeclareVolume, lines_of: Lines) -> Optional[tuple[Edit, ...]]:
    """`NAME:` under the top-level `volumes:` of the project's main file, which gets one when it has none."""
    group = intent.group
    if not group.files:
        return None
    file = group.files[0]
    lines = lines_of(file)
    key = group.volumes_key
    if key is None:
        if any(line.startswith("volumes:") for line in lines):
            return None  # written in a way the model did not place (in another document, a merge key)
        last = len(lines)
        while last > 0 and not lines[last - 1].strip():
            last -= 1
        at = len(lines[last - 1]) + 1 if last else 1
        separator = "\n" if last else ""
        return (Edit(Span(file, max(last, 1), at, max(last, 1), at),
                     f"{separator}\nvolumes:\n{_indent_unit(lines)}{intent.name}:"),)
    line = lines[key.line - 1]
    after = line[key.end_column:].split("#", 1)[0].strip()
    if after.startswith(":"):
        after = after[1:].strip()
    if after not in ("", "~", "null"):
        return None  # a flow mapping, `volumes: {}`: left to the author
    child = next((other for other in lines[key.line:] if other.strip() and not other.lstrip().startswith("#")), "")
    indent = child[:len(child) - len(child.lstrip())] if child.startswith((" ", "\t")) else _indent_unit(lines)
    end = len(line) + 1
    if after:
        end = line.index(after, key.end_column) + len(after)
        start = line.rindex(":", 0, end - len(after)) + 1  # `~` or `null` goes with the space before it
        return (Edit(Span(file, key.line, start + 1, key.line, end + 1), f"\n{indent}{intent.name}:"),)
    return (Edit(Span(file, key.line, end, key.line, end), f"\n{indent}{intent.name}:"),)


def _indent_unit(lines: list[str]) -> str:
    """The indentation the file uses for a top-level key's children."""
    for index, line in enumerate(lines[:-1]):
        if line and not line[0].isspace() and line.rstrip().endswith(":"):
            child = lines[index + 1]
            indent = child[:len(child) - len(child.lstrip())]
            if indent and child.strip():
                return indent
    return "  "


def _remove_volume(intent: RemoveVolume, lines_of: Lines) -> Optional[tuple[Edit, ...]]:
    """The volume's key, every line of its definition and the comment lines right above it (which describe
    it), with one blank line of those around it when it stood between blank lines."""
    span = intent.volume.span
    lines = lines_of(span.file)
    if not 0 < span.line <= len(lines):
        return None
    key_line = lines[span.line - 1]
    if key_line[:span.column - 1].strip():
        return None  # in a flow mapping
    first = span.line
    while first > 1 and lines[first - 2].strip().startswith("#") and _indent(lines[first - 2]) == span.column - 1:
        first -= 1
    # the lines that hold text: a final "" is what follows the file's last line break
    count = len(lines) - 1 if lines[-1] == "" else len(lines)
    last = span.line
    while last < count and (not lines[last].strip() or _indent(lines[last]) >= span.column):
        last += 1
    while last > span.line and not lines[last - 1].strip():
        last -= 1
    blank_before = first > 1 and not lines[first - 2].strip()
    if last < count and not lines[last].strip() and (blank_before or last + 1 == count):
        last += 1
    if last < len(lines):  # a line break ends the last line removed: up to the start of the next line
        return (Edit(Span(span.file, first, 1, last + 1, 1), ""),)
    # the file's last lines: the line break before them goes instead of the one after
    start_line = first - 1 if first > 1 else first
    start = len(lines[start_line - 1]) + 1 if first > 1 else 1
    return (Edit(Span(span.file, start_line, start, last, len(lines[last - 1]) + 1), ""),)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _add_shield(intent: AddShield, lines_of: Lines) -> Optional[tuple[Edit, ...]]:
    """`- PATH` after the bind mount's entry, in the same list and style."""
    mount = intent.mount
    if mount.written_as != "compose-short":
        return None
    span = mount.span
    lines = lines_of(span.file)
    if span.line != span.end_line or not 0 < span.line <= len(lines):
        return None
    line = lines[span.line - 1]
    prefix = line[:span.column - 1]
    if prefix.strip() != "-":
        return None  # a flow list, or an entry that is not the line's own item
    indent = prefix[:len(prefix) - len(prefix.lstrip())]
    end = len(line) + 1
    return (Edit(Span(span.file, span.line, end, span.line, end), "".join(f"\n{indent}- {path}"
                                                                          for path in intent.paths)),)


def _quote_volumes(intent: QuoteVolumes) -> Optional[tuple[Edit, ...]]:
    volumes = intent.volumes
    if not volumes or any(v.span.line != volumes[0].span.line for v in volumes) or not intent.paths:
        return None
    first, last = volumes[0].span, volumes[-1].span
    return (Edit(Span(first.file, first.line, first.column, last.end_line, last.end_column),
                 "[" + ", ".join(json.dumps(path) for path in intent.paths) + "]"),)
