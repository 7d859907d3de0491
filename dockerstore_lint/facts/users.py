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


# what entrypoints use to step down from root (the official database images install gosu)
PRIVILEGE_DROP_TOOLS = frozenset(("gosu", "su-exec"))


def installs_privilege_drop(dockerfile: Dockerfile, stage: Stage) -> bool:
    """Whether the image gets gosu or su-exec (RUN installs it, or COPY/ADD puts it in place): its
    entrypoint then starts as root only to run the container as another user, as postgres's does."""
    for member in dockerfile.lineage(stage):
        for instruction in member.instructions:
            if instruction.keyword in ("RUN", "COPY", "ADD") and any(
                    word.strip(";&|()'\"").rsplit("/", 1)[-1] in PRIVILEGE_DROP_TOOLS for word in instruction.args):
                return True
    return False
