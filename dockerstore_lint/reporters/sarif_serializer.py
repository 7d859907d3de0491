"""sarif-om objects -> JSON-ready dicts, with the SARIF property names.

Not jschema-to-python's `to_json`: it drops every value equal to its schema default, and an absent
`result.level` does not mean "warning" but "the rule's defaultConfiguration.level", so a warning
from an error-default rule would read as an error. It is also slow (a deep copy per object).
Values equal to their default are still dropped here, because sarif-om's defaults include
sentinels (`index: -1`, `charOffset: -1`, `language: "en-US"`) that only add noise.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Optional

import attr
import sarif_om as om

from dockerstore_lint.reporters.json_stream import Streamed

# defaults that do not mean the same thing as absence, or that readers should not have to know
_ALWAYS_EMIT = {(om.Result, "level"), (om.ReportingConfiguration, "level")}
# sarif-om was generated from the 2.1.0 rtm.4 schema; the final schema renamed suppression.state
_RENAMED = {(om.Suppression, "state"): "status"}
# sarif-om's fields are alphabetical; people reading a log expect these first, in this order
_FIRST = ("$schema", "version", "id", "name", "semanticVersion", "informationUri", "ruleId", "ruleIndex", "level",
          "kind", "message", "locations", "relatedLocations", "description", "shortDescription", "fullDescription",
          "help", "helpUri", "startLine", "startColumn", "endLine", "endColumn")
_RANK = {name: rank for rank, name in enumerate(_FIRST)}


def to_sarif(value: object) -> object:
    cls: type = type(value)
    layout = _layout(cls)
    if layout is not None:
        out: dict[str, object] = {}
        for attribute, name, default, always in layout:
            item = getattr(value, attribute)
            if item is None or (item == default and not always):
                continue
            out[name] = to_sarif(item)
        return out
    if isinstance(value, Streamed):
        return Streamed(to_sarif(item) for item in value.items)
    if isinstance(value, (list, tuple)):
        return [to_sarif(item) for item in value]
    if isinstance(value, dict):
        return {str(key): to_sarif(item) for key, item in value.items()}
    if isinstance(value, (str, int, float, bool)):
        return value
    raise TypeError(f"not SARIF-serializable: {value!r}")


@lru_cache(maxsize=None)
def _layout(cls: type) -> Optional[tuple[tuple[str, str, object, bool], ...]]:
    """An attrs class's fields in output order, each (attribute, SARIF name, default, always emitted);
    None for any other type. Worked out once per class: a log has thousands of objects."""
    if not attr.has(cls):
        return None
    fields = []
    for field in attr.fields(cls):
        # attrs' stubs declare Factory a function; it is the class of a factory default
        factory = isinstance(field.default, attr.Factory)  # type: ignore[arg-type]
        default = field.default.factory() if factory else field.default
        name = _RENAMED.get((cls, field.name)) or field.metadata.get("schema_property_name", field.name)
        fields.append((field.name, name, default, (cls, field.name) in _ALWAYS_EMIT))
    return tuple(sorted(fields, key=lambda field: _RANK.get(field[1], len(_FIRST))))
