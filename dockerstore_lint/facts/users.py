"""Who a container's process runs as: `user:`, the built stage's USER, or the base image's known user."""

from __future__ import annotations

from typing import NamedTuple, Optional

from dockerstore_lint.facts.image import facts_for
from dockerstore_lint.model.container import Container
from dockerstore_lint.model.dockerfile import Dockerfile, Stage
from dockerstore_lint.model.span import Span

ROOT_USERS = ("root", "0", "containeradministrator")


class RuntimeUser(NamedTuple):
    """Who the container's main process starts as, and whether it switches to another user itself."""

    name: Optional[str]  # None: not known
    span: Optional[Span]  # where the repository sets it (`user:` or USER)
    drops_root: bool = False

    @property
    def is_root(self) -> Optional[bool]:
        if self.name is None:
            return None
        return is_root_user(self.name)


def runtime_user(container: Container) -> RuntimeUser:
    if container.user is not None:
        return RuntimeUser(container.user.value if container.user.resolved else None, container.user.span)
    if container.stage is not None and container.stage.user is not None:
        user = container.stage.user
        return RuntimeUser(user.value if user.resolved else None, user.span)
    facts = facts_for(container)
    if facts is None or facts.user is None:
        if container.stage is not None and container.stage.base.name == "scratch":
            return RuntimeUser("root", None)
        return RuntimeUser(None, None)
    return RuntimeUser(facts.user.name, None, drops_root=bool(facts.drops_root))



def is_root_user(value: str) -> bool:
    name = value.split(":", 1)[0].strip().lower()
    return name in ROOT_USERS


# What starts as root only to run the container's work as other users: the step-down tools of entrypoints (the
# official database images install gosu), and init systems that supervise services each under its own user
# (runit's chpst, s6-overlay's s6-setuidgid, supervisord, phusion's my_init), by the words that put them in place
# or start them.
PRIVILEGE_DROP_TOOLS = frozenset(("gosu", "su-exec", "setpriv", "runuser", "chpst", "runit", "runsvdir", "my_init",
                                  "s6-setuidgid", "s6-overlay", "supervisord", "supervisor"))


def installs_privilege_drop(dockerfile: Dockerfile, stage: Stage) -> bool:
    """Whether the image starts as root only to run its work as other users: RUN installs a step-down tool or
    an init system, COPY/ADD puts one in place, or the entrypoint or command starts one (`sudo -u app ...`), itself
    or in a script of the repository it runs (`exec gosu app "$@"`)."""
    for member in dockerfile.lineage(stage):
        for instruction in member.instructions:
            if instruction.keyword not in ("RUN", "COPY", "ADD", "ENTRYPOINT", "CMD"):
                continue
            names = [word.strip(";&|()'\"").replace("\\", "/").rsplit("/", 1)[-1] for word in instruction.args]
            if any(name in PRIVILEGE_DROP_TOOLS or name.startswith("s6-overlay") for name in names):
                return True
            if instruction.keyword in ("ENTRYPOINT", "CMD") and names[:1] == ["sudo"] and "-u" in names:
                return True
            if instruction.keyword in ("ENTRYPOINT", "CMD") and instruction.args[:1] \
                    and instruction.args[0] in dockerfile.steps_down:
                return True
            # IIS: ServiceMonitor.exe watches W3SVC, whose w3wp.exe workers run the site as the app pool's identity
            if instruction.keyword in ("ENTRYPOINT", "CMD") and names and names[0].lower() == "servicemonitor.exe":
                return True
    return False


def defines_process(dockerfile: Dockerfile, stage: Stage) -> bool:
    """Whether the Dockerfile says what the image runs (CMD or ENTRYPOINT in the stage or a stage it is built
    FROM); without one it runs what its base image runs, or nothing at all when built FROM scratch."""
    return any(instruction.keyword in ("CMD", "ENTRYPOINT")
               for member in dockerfile.lineage(stage) for instruction in member.instructions)
