"""The storage model: what each container's filesystem is made of, and where that was decided.

Parsers build it, rules read it, nothing else touches it. Every object a finding can point at
carries a `Span`. Values are what Docker or Compose would use (interpolated, merged, normalised),
not what the text literally says; unresolved variables stay visible as `$VAR` text and make
`resolved` false wherever it matters.
"""

from types import MappingProxyType
from typing import Mapping, NoReturn

# the default of mapping fields: one shared empty mapping, read-only so that no object can change another's
# (its values are of no type, so it stands for a mapping of any value type)
EMPTY: Mapping[str, NoReturn] = MappingProxyType({})
