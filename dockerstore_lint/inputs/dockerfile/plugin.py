"""Whether a Dockerfile builds the root filesystem of a Docker managed plugin rather than an image people run.

`docker plugin create NAME DIR` takes `DIR/config.json` and `DIR/rootfs`; projects build the rootfs from a
Dockerfile kept beside that config.json (`docker create` + `docker export`). The plugin runs with what its
config grants, not as the Dockerfile's USER. Only a `config.json` in the Dockerfile's own folder, a regular
file inside the scanned root and no bigger than a plugin config is, is read.
"""

from __future__ import annotations

import json
from pathlib import Path

from dockerstore_lint.model.host_paths import is_inside
from dockerstore_lint.text.sources import read_source

_CONFIG = "config.json"
_MAX_BYTES = 64 * 1024  # Docker's own plugin configs are a few kilobytes


def builds_plugin(dockerfile: Path, root: Path) -> bool:
    """Whether the folder of `dockerfile` holds a plugin config: `interface.types` names a `docker.*` type
    (`docker.logdriver/1.0`, `docker.volumedriver/2.0`, `docker.networkdriver/1.0`, `docker.authz/1.0`)."""
    config = dockerfile.parent / _CONFIG
    if not is_inside(config, root):
        return False
    source, _ = read_source(config, _CONFIG, _MAX_BYTES)
    if source is None:
        return False
    try:
        document = json.loads(source.text)
    except (ValueError, RecursionError):
        return False
    interface = document.get("interface") if isinstance(document, dict) else None
    types = interface.get("types") if isinstance(interface, dict) else None
    return isinstance(types, list) and any(isinstance(t, str) and t.startswith("docker.") for t in types)
