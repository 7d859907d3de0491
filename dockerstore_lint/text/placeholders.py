"""Words of documentation that stand for a value the reader fills in, rather than being one.

`docker run -v [VOLUME]:TARGET_PATH <image>` in a README is a template: a rule that judged
`TARGET_PATH` as a path would report nonsense. Such words are marked unresolved, so rules stay silent.
"""

from __future__ import annotations

import re

_BRACKETED = re.compile(r"<[^<>]*>|\[[A-Za-z][A-Za-z0-9 _|.-]*\]|\{\{|\}\}")
_ELLIPSIS = re.compile(r"\.\.\.|\u2026")
_YOUR = re.compile(r"(?:^|[^a-z])your[-_]?[a-z]", re.IGNORECASE)
_PATH_TO = re.compile(r"(?:^|[/=:,])path(?:/| )to(?:[/ ]|$)", re.IGNORECASE)
# a whole component in capitals (`IMAGE`, `HOST_DIR:/data`, `source=HOST_PATH`) of a value that is not an
# option (`--cap-add=NET_ADMIN` is a real value)
_CAPITALS = re.compile(r"(?:^|[:=,/@\\])([A-Z][A-Z0-9_-]*[A-Z0-9])(?=$|[:,/@\\])")


def is_placeholder(value: str) -> bool:
    return bool(_BRACKETED.search(value) or _ELLIPSIS.search(value) or _YOUR.search(value)
                or _PATH_TO.search(value) or (not value.startswith("-") and _CAPITALS.search(value)))
