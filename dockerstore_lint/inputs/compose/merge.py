"""Merging Compose trees as Compose merges override files, `extends` and multi-document files.

Mappings merge key by key, and a null value leaves the value it overrides alone. Sequences append,
except a few service keys that the override replaces (command, entrypoint, healthcheck.test). Keys
that may be written as a mapping or as a list (environment, build.args) are both turned into
`KEY=value` lists before they are appended, and `build: DIR` into `{context: DIR}`. In the appended
lists an entry that says the same thing again replaces the earlier one in its place: mounts, secrets
and configs by target, `KEY=value` entries by key, env files by path. `!reset` removes a value and
`!override` replaces it whole. The merged tree shares nodes with its inputs and never changes them,
so every node keeps the position and base directory of the file it came from.
"""

from __future__ import annotations

from typing import Callable, Optional

from dockerstore_lint.inputs.compose.mounts import short_volume_target
from dockerstore_lint.model.span import Span
from dockerstore_lint.text.yaml_nodes import RESET, YMap, YNode, YScalar, YSeq, is_null, text_of

_REPLACED = {("command",), ("entrypoint",), ("healthcheck", "test")}
_AS_LIST = {("environment",), ("build", "args"), ("tmpfs",), ("env_file",)}
# a key path in the document -> the path the service merge rules are written for
PathRule = Callable[[tuple[str, ...]], tuple[str, ...]]


def merge_documents(base: YMap, override: YMap) -> YMap:
    """Two whole Compose documents."""
    merged = _merge(base, override, (), _top_level_rule)
    assert isinstance(merged, YMap)  # two mappings at the top merge into a mapping
    return merged


def merge_service(base: YNode, override: YNode) -> YNode:
    """Two definitions of one service (an override file's, or an `extends` parent and child)."""
    return _merge(base, override, (), _service_rule)


def _top_level_rule(path: tuple[str, ...]) -> tuple[str, ...]:
    # services.NAME.<rest> follows the service rules
    if len(path) >= 2 and path[0] == "services":
        return path[2:]
    return ("-",)


def _service_rule(path: tuple[str, ...]) -> tuple[str, ...]:
    return path


def _merge(base: YNode, override: YNode, path: tuple[str, ...], rule: PathRule) -> YNode:
    if override.tag:  # `!override`; a `!reset` value never gets here
        return _untagged(override)
    service_path = rule(path)
    if is_null(override):
        return override if service_path in _REPLACED else base
    if service_path == ("build",):
        base, override = _build_mapping(base), _build_mapping(override)
    if service_path in _AS_LIST:
        base, override = _as_list(base), _as_list(override)
    if isinstance(base, YMap) and isinstance(override, YMap):
        return _merge_maps(base, override, path, rule)
    if isinstance(base, YSeq) and isinstance(override, YSeq) and service_path not in _REPLACED:
        key = _UNIQUE_KEYS.get(service_path)
        if key is not None:
            return _merge_unique(base, override, key)
        return YSeq(base.items + override.items, override.span, override.base)
    return override


def _merge_maps(base: YMap, override: YMap, path: tuple[str, ...], rule: PathRule) -> YMap:
    pairs = list(base.pairs)
    index = {key.value: i for i, (key, _) in enumerate(pairs)}
    removed: set[str] = set()
    for key, value in override.pairs:
        child_path = path + (key.value,)
        if value.tag == RESET:
            removed.add(key.value)
            continue
        if key.value in index and key.value not in removed:
            old_key, old_value = pairs[index[key.value]]
            pairs[index[key.value]] = (old_key, _merge(old_value, value, child_path, rule))
        else:
            index[key.value] = len(pairs)
            pairs.append((key, _untagged(value)))
            removed.discard(key.value)
    kept = [(k, v) for k, v in pairs if k.value not in removed]
    return YMap(kept, base.span, base.base)


def _untagged(node: YNode) -> YNode:
    if isinstance(node, YMap) and node.tag:
        return YMap(node.pairs, node.span, node.base)
    if isinstance(node, YSeq) and node.tag:
        return YSeq(node.items, node.span, node.base)
    return node


def _build_mapping(node: YNode) -> YNode:
    """`build: DIR` is `build: {context: DIR}` when it meets another `build`."""
    if isinstance(node, YScalar):
        return YMap([(YScalar("context", node.span, node.base), node)], node.span, node.base)
    return node


def _as_list(node: YNode) -> YNode:
    """`KEY: value` pairs as `KEY=value` items (`KEY` alone for a null value), sorted as Compose sorts
    them; a single string as a one-item list, null as an empty one."""
    if isinstance(node, YScalar):
        return YSeq([] if node.is_null else [node], node.span, node.base)
    if not isinstance(node, YMap):
        return node
    items = []
    for key, value in node.pairs:
        values = value.items if isinstance(value, YSeq) else [value]
        for item in values:
            if not isinstance(item, YScalar):
                continue
            text = key.value if item.is_null else f"{key.value}={item.typed_text}"
            span = Span(key.span.file, key.span.line, key.span.column, item.span.end_line, item.span.end_column)
            items.append(YScalar(text, span, item.base, plain=False, unset=item.unset))
    items.sort(key=lambda item: item.value)
    return YSeq(list(items), node.span, node.base)


def _merge_unique(base: YSeq, override: YSeq, key: Callable[[YNode], Optional[str]]) -> YSeq:
    items = list(base.items)
    positions = {key(item): i for i, item in enumerate(items) if key(item) is not None}
    for item in override.items:
        item_key = key(item)
        if item_key is not None and item_key in positions:
            items[positions[item_key]] = item
        else:
            if item_key is not None:
                positions[item_key] = len(items)
            items.append(item)
    return YSeq(items, override.span, override.base)


def _secret_target(default_dir: str) -> Callable[[YNode], Optional[str]]:
    def target(node: YNode) -> Optional[str]:
        if isinstance(node, YScalar):
            return default_dir + node.value
        if isinstance(node, YMap):
            explicit = node.get("target")
            if isinstance(explicit, YScalar) and explicit.value:
                return explicit.value
            source = node.get("source")
            if isinstance(source, YScalar):
                return default_dir + source.value
        return None

    return target


def _variable_name(node: YNode) -> Optional[str]:
    return node.value.partition("=")[0] if isinstance(node, YScalar) else None


def _env_file_path(node: YNode) -> Optional[str]:
    return text_of(node.get("path")) if isinstance(node, YMap) else text_of(node) or None


_UNIQUE_KEYS: dict[tuple[str, ...], Callable[[YNode], Optional[str]]] = {
    ("volumes",): short_volume_target,
    ("secrets",): _secret_target("/run/secrets/"),
    ("configs",): _secret_target("/"),
    ("environment",): _variable_name,
    ("build", "args"): _variable_name,
    ("tmpfs",): _variable_name,
    ("env_file",): _env_file_path,
}
