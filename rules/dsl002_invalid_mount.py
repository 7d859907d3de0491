"""DSL002 invalid-mount."""

from typing import Iterator, Optional

from dockerstore_lint.finding import SAFE, Finding, Fix
from dockerstore_lint.fixes.intents import ReplaceMode
from dockerstore_lint.model.container import REFUSE, Container, Mount
from dockerstore_lint.model.group import Group
from dockerstore_lint.rule import Rule


class InvalidMount(Rule):
    """A mount entry that Compose or Docker refuses, or whose mode Compose silently drops.

    ## What it does
    Flags a `volumes:` or `tmpfs:` entry of a service that cannot work as written: an empty source
    or target (`:/data`, `./a::ro`), a container path that is not absolute (`data:cache`), too many
    colons, an unknown mount `type`, long syntax without `target` (or a `bind` without `source`),
    and an unknown mode after the last colon (`./conf:/etc/app:readonly`). Entries whose text
    depends on a variable that is not set here are left alone: they may be fine where the project
    really runs.

    ## Why it matters
    Compose rejects most of these when it loads the project, and Docker rejects a relative
    container path when it creates the container: the service does not start. An unknown mode is
    worse because nothing fails: Compose drops it without a word, so `:readonly` or `:RO` gives a
    writable mount and a typo in `:nocopy` copies the image's files into the volume after all.

    ## Example
    ```yaml
    services:
      app:
        image: nginx:1.27
        volumes:
          - ./conf:/etc/nginx/conf.d:readonly
          - cache:var/cache/nginx
    volumes:
      cache:
    ```

    ## Fix
    Use an absolute container path and one of the modes Compose knows (`ro`, `rw`, `nocopy`,
    `z`, `Z`, a propagation mode, `cached`, `delegated`, `consistent`), or the long syntax:
    ```yaml
    services:
      app:
        image: nginx:1.27
        volumes:
          - ./conf:/etc/nginx/conf.d:ro
          - type: volume
            source: cache
            target: /var/cache/nginx
    volumes:
      cache:
    ```

    ## Fix safety
    Safe, for modes that can only be a misspelling of one that exists (`readonly`, `read-only`,
    `read_only`, `RO` for `ro`; `RW`, `readwrite` for `rw`; `no-copy`, `no_copy` for `nocopy`): the
    mount gets the mode its author wrote, which Compose dropped or Docker refused. Other invalid
    entries have no automatic fix.
    """

    code = "DSL002"
    level = "error"
    targets = ("container",)

    def container(self, container: Container, group: Group) -> Iterator[Finding]:
        compose = container.origin == "compose"
        for mount in container.mounts:
            if mount.resolved and not mount.invalid and mount.missing_source == REFUSE and mount.host is not None \
                    and mount.host.inside_root and mount.host.exists is False:
                yield self.finding(mount.span, f"{container.label} bind-mounts {mount.source}, which does not exist: "
                                               f"Docker refuses to start the container (bind source path does not "
                                               f"exist), where `-v` would have created it",
                                   "add it to the repository or fix the path")
                continue
            if not mount.invalid or not mount.resolved:
                continue
            # the model words an unknown short-syntax mode "unknown mode ..."; only that case loads
            if mount.invalid.startswith("unknown mode"):
                outcome = "Compose ignores an unknown mode without a word and makes the mount without it"
                advice = "write one it knows (ro, rw, nocopy, z, Z, a propagation mode)"
            elif compose:
                outcome, advice = "Compose or Docker refuses it and the service does not start", "fix the entry"
            elif mount.unknown_modes:
                outcome = "Docker refuses it and the container does not start"
                advice = "write a mode it knows (ro, rw, z, Z, nocopy, a propagation mode)"
            else:
                outcome, advice = "Docker refuses it and the container does not start", "fix the mount"
            yield self.finding(mount.span, f"{container.label}: {mount.invalid}: {outcome}", advice,
                               fix=_mode_fix(mount))


# modes that can only be misspellings of one Docker and Compose know
_MEANT_MODES = {"readonly": "ro", "read-only": "ro", "read_only": "ro", "readwrite": "rw", "read-write": "rw",
                "no-copy": "nocopy", "no_copy": "nocopy"}


def _mode_fix(mount: Mount) -> Optional[Fix]:
    if len(mount.unknown_modes) != 1:
        return None
    wrong = mount.unknown_modes[0]
    right = _MEANT_MODES.get(wrong.lower()) or (wrong.lower() if wrong.lower() in ("ro", "rw", "nocopy") else None)
    if right is None:
        return None
    return Fix(f"Write :{right} for :{wrong}", applicability=SAFE, intent=ReplaceMode(mount, wrong, right))
