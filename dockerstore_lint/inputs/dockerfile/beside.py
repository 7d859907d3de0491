"""Files beside a Dockerfile that say what its image does at run time, read as text, never run.

- **Entrypoint scripts.** Many images start as root only to fix ownership and then run their service as its
  own user, in a script of the repository (`exec gosu app "$@"`, `su zulip -c ...`, `exec supervisord`). The
  tool is often there without a RUN of the Dockerfile installing it (the base image has it, or an opaque
  install script puts it in place), so the script says what the Dockerfile cannot. Only a script an
  ENTRYPOINT or CMD names first, put in place by a COPY/ADD of one file from the Dockerfile's own folder
  (the usual build context), is read.
- **A managed plugin's config.** `docker plugin create NAME DIR` takes `DIR/config.json` and `DIR/rootfs`;
  projects build the rootfs from a Dockerfile kept beside that config.json (`docker create` + `docker
  export`). The plugin runs with what its config grants, not as the Dockerfile's USER.

Only regular files inside the scanned root, no bigger than such files are, are read.
"""

from __future__ import annotations

import json
import re
from pathlib import Path, PurePosixPath

from dockerstore_lint.model.dockerfile import Dockerfile
from dockerstore_lint.model.host_paths import is_inside
from dockerstore_lint.text.sources import read_source

_MAX_BYTES = 256 * 1024
_CONFIG = "config.json"
_MAX_CONFIG_BYTES = 64 * 1024  # Docker's own plugin configs are a few kilobytes
# where a command named without a directory is looked for (the official images' PATH)
_PATH = frozenset(("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"))
_COMMENT = re.compile(r"^[ \t]*#[^\n]*", re.MULTILINE)
# a script's words: what separates commands or arguments
_SEPARATORS = re.compile(r"[\s;&|()`\"']+")
# programs that run the work as another user: step-down tools, and init systems or supervisors whose
# programs name their users
_STEP_DOWN_PROGRAMS = frozenset(("gosu", "su-exec", "setpriv", "runuser", "chpst", "s6-setuidgid", "supervisord",
                                 "runsvdir", "my_init"))


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
    return text is not None and _runs_as_another_user(_SEPARATORS.split(_COMMENT.sub("", text.text)))


def _runs_as_another_user(words: list[str]) -> bool:
    """A step-down program by name (`exec /usr/sbin/gosu`), `su USER -c ...`, or `sudo -u USER`: read word by
    word (a script of one long token, or of nothing but separators, stays linear)."""
    for index, word in enumerate(words):
        if word.rsplit("/", 1)[-1] in _STEP_DOWN_PROGRAMS:
            return True
        following = words[index + 1:index + 4]
        if word == "su" and "-c" in following and any(not w.startswith("-") for w in following):
            return True
        if word == "sudo" and "-u" in following:
            return True
    return False


def builds_plugin(dockerfile: Path, root: Path) -> bool:
    """Whether the folder of `dockerfile` holds a plugin config: `interface.types` names a `docker.*` type
    (`docker.logdriver/1.0`, `docker.volumedriver/2.0`, `docker.networkdriver/1.0`, `docker.authz/1.0`)."""
    config = dockerfile.parent / _CONFIG
    if not is_inside(config, root):
        return False
    source, _ = read_source(config, _CONFIG, _MAX_CONFIG_BYTES)
    if source is None:
        return False
    try:
        document = json.loads(source.text)
    except (ValueError, RecursionError):
        return False
    interface = document.get("interface") if isinstance(document, dict) else None
    types = interface.get("types") if isinstance(interface, dict) else None
    return isinstance(types, list) and any(isinstance(t, str) and t.startswith("docker.") for t in types)


def reads_beside(dockerfile: Dockerfile, path: Path) -> bool:
    """Whether `path` may be a file read beside `dockerfile` (its plugin config, a script it copies in): when it
    changes, the model is built again."""
    folder = dockerfile.path.parent
    if path == folder / _CONFIG:
        return True
    copied = {PurePosixPath(source).name for stage in dockerfile.stages for content in stage.content
              for source in content.sources}
    return path.name in copied and path.is_relative_to(folder)
