"""sarif-om objects -> JSON-ready dicts, with the SARIF property names.

Not jschema-to-python's `to_json`: it drops every value equal to its schema default, and an absent
`result.level` does not mean "warning" but "the rule's defaultConfiguration.level", so a warning
from an error-default rule would read as an error. It is also slow (a deep copy per object).
Values equal to their default are still dropped here, because sarif-om's defaults include
sentinels (`index: -1`, `charOffset: -1`, `language: "en-US"`) that only add noise.
"""

from __future__ import annotations

import attr
import sarif_om as om

# defaults that do not mean the same thing as absence, or that readers should not have to know
_ALWAYS_EMIT = {(om.Result, "level"), (om.ReportingConfiguration, "level")}
# sarif-om was generated from the 2.1.0 rtm.4 schema; the final schema renamed suppression.state
_RENAMED = {(om.Suppression, "state"): "status"}
# sarif-om's fields are alphabetical; people reading a log expect these first, in this order
_FIRST = ("$schema", "version", "id", "name", "semanticVersion", "informationUri", "ruleId", "ruleIndex", "level",
          "kind", "message", "shortDescription", "fullDescription", "help", "helpUri",
          "startLine", "startColumn", "endLine", "endColumn")
_RANK = {name: rank for rank, name in enumerate(_FIRST)}


def to_sarif(value):
    cls = type(value)
    if attr.has(cls):
        out = {}
        for field in attr.fields(cls):
            item = getattr(value, field.name)
            if item is None:
                continue
            default = field.default.factory() if isinstance(field.default, attr.Factory) else field.default
            if item == default and (cls, field.name) not in _ALWAYS_EMIT:
                continue
            name = _RENAMED.get((cls, field.name)) or field.metadata.get("schema_property_name", field.name)
            out[name] = to_sarif(item)
        return dict(sorted(out.items(), key=lambda pair: _RANK.get(pair[0], len(_FIRST))))
    if isinstance(value, (list, tuple)):
        return [to_sarif(item) for item in value]
    if isinstance(value, dict):
        return {str(key): to_sarif(item) for key, item in value.items()}
    if isinstance(value, (str, int, float, bool)):
        return value
    raise TypeError(f"not SARIF-serializable: {value!r}")
