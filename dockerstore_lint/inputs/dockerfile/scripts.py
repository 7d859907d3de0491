"""Entrypoint scripts a Dockerfile copies in from beside it, and whether they start the work as another user.

Many images start as root only to fix ownership and then run their service as its own user, in a script of
the repository (`exec gosu app "$@"`, `su zulip -c ...`, `exec supervisord`). The tool is often there without
a RUN of the Dockerfile installing it (the base image has it, or an opaque install script puts it in place),
so the script says what the Dockerfile cannot. Only a script an ENTRYPOINT or CMD names first, put in place by
a COPY/ADD of one file from the Dockerfile's own folder (the usual build context), inside the scanned root and
no bigger than a script is, is read; it is read as text, never run.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

from dockerstore_lint.model.dockerfile import Dockerfile
from dockerstore_lint.model.host_paths import is_inside
from dockerstore_lint.text.sources import read_source

_MAX_BYTES = 256 * 1024
# where a command named without a directory is looked for (the official images' PATH)
_PATH = frozenset(("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"))
_COMMENT = re.compile(r"^\s*#.*$", re.MULTILINE)
# a command of the script that runs its work as another user: a step-down tool, an init system or
# supervisor whose programs name their users, or `su USER -c ...` / `sudo -u USER`
_STEPS_DOWN = re.compile(
    r"(?:^|[\s;&|(`])(?:exec\s+)?(?:\S*/)?"
    r"(?:gosu|su-exec|setpriv|runuser|chpst|s6-setuidgid|supervisord|runsvdir|my_init)\s"
    r"|(?:^|[\s;&|(`])su\s+(?:-[-\w]*\s+)*[A-Za-z_][\w.-]*\s+(?:-[-\w]*\s+)*-c\s"
    r"|(?:^|[\s;&|(`])sudo\s+(?:-\S+\s+)*-u\s",
    re.MULTILINE)


def stepping_down_scripts(dockerfile: Dockerfile, root: Path) -> frozenset[str]:
    """The first words of ENTRYPOINT and CMD, as written, that start an entrypoint script (see the module) whose
    text runs the work as another user: its container path, or its name when it sits in a directory of PATH."""
    started = {instruction.args[0] for stage in dockerfile.stages for instruction in stage.instructions
               if instruction.keyword in ("ENTRYPOINT", "CMD") and instruction.args}
    found = set()
    for stage in dockerfile.stages:
        for content in stage.content:
            path = PurePosixPath(str(content.path))
            words = {str(path)} | ({path.name} if str(path.parent) in _PATH else set())
            if words & started and content.is_file and content.from_stage is None and len(content.sources) == 1 \
                    and _steps_down(dockerfile.path.parent, content.sources[0], root):
                found |= words & started
    return frozenset(found)


def _steps_down(folder: Path, source: str, root: Path) -> bool:
    relative = PurePosixPath(source)
    if relative.is_absolute() or ".." in relative.parts or any(c in source for c in "*?[$"):
        return False
    script = folder.joinpath(*relative.parts)
    if not is_inside(script, root):
        return False
    text, _ = read_source(script, source, _MAX_BYTES)
    return text is not None and _STEPS_DOWN.search(_COMMENT.sub("", text.text)) is not None
