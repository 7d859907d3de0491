"""What a container's image is and declares: the registry image it runs or builds FROM, its VOLUMEs, its data
directories, its operating system."""

from __future__ import annotations

from typing import NamedTuple, Optional

from dockerstore_lint.knowledge import DataDir, ImageFacts, image_facts
from dockerstore_lint.model.container import Container
from dockerstore_lint.model.container_paths import ContainerPath, container_path
from dockerstore_lint.model.images import ImageRef, image_os, parse_image
from dockerstore_lint.model.span import Span


def registry_image(container: Container) -> Optional[ImageRef]:
    """The image from a registry the container runs: `image:`, or what its built stages start FROM."""
    if container.stage is not None and container.dockerfile is not None:
        return container.dockerfile.base_stage(container.stage).base
    if container.build is not None:
        return None  # a build we could not read: `image:` is only the name it will be tagged with
    if container.image is None or not container.image.resolved:
        return None
    return parse_image(container.image.value)


def facts_for(container: Container) -> Optional[ImageFacts]:
    image = registry_image(container)
    return image_facts(image) if image is not None else None


class ImageVolume(NamedTuple):
    """A path the container's image declares as VOLUME, and who says so."""

    path: ContainerPath
    span: Optional[Span]  # the VOLUME line, when the repository's Dockerfile declares it
    from_knowledge: bool
    holds_state: bool = True


def image_volumes(container: Container) -> list[ImageVolume]:
    """VOLUME paths of the container's image: its built stages', then the base image's known ones."""
    found: list[ImageVolume] = []
    if container.stage is not None:
        found.extend(ImageVolume(v.path, v.span, False) for v in container.stage.volumes if not v.malformed)
    facts = facts_for(container)
    if facts is not None:
        for volume in facts.volumes or ():
            if not any(v.path.same(volume.path) for v in found):
                state = volume.holds_state and volume.condition.holds(container.command)
                found.append(ImageVolume(volume.path, None, True, state))
    return found


def image_volumes_known(container: Container) -> bool:
    """Whether every VOLUME of the container's image is known (its Dockerfile's and its base image's)."""
    facts = facts_for(container)
    return facts is not None and facts.volumes is not None


def data_dirs(container: Container) -> tuple[DataDir, ...]:
    """Where the container's image keeps state, moved where its environment or command says; none for a
    container that runs another command than the image's service (`sh -c 'pg_dumpall ...'` writes no data
    directory)."""
    facts = facts_for(container)
    if facts is None or not facts.stateful:
        return ()
    from dockerstore_lint.facts.commands import runs_image_service  # which builds on this module

    if runs_image_service(container) is False:
        return ()
    return facts.data_dirs_for(container_environment(container), container.command)


def container_environment(container: Container) -> dict[str, str]:
    """The variables the container starts with: its built stage's ENV, then the container's own."""
    environment = dict(container.stage.env) if container.stage is not None else {}
    environment.update(container.environment)
    return environment


def data_mount_point(container: Container, data_dir: ContainerPath) -> ContainerPath:
    """Where a volume keeps a data directory: the image's VOLUME that holds it, else the directory itself.

    PostgreSQL 18 keeps its data in /var/lib/postgresql/18/docker under VOLUME /var/lib/postgresql, and
    a mount at the VOLUME survives a major upgrade that the versioned directory would not.
    """
    holding = [v.path for v in image_volumes(container) if data_dir.is_within(v.path)]
    return max(holding, key=lambda path: len(path.parts), default=data_dir)


def is_windows_container(container: Container) -> bool:
    """Whether the container runs as a Windows container: its platform, built stage or image says so, or a
    mount target is a Windows path (Compose reads every target of a Windows container as one)."""
    if container.platform and container.platform.lower().startswith("windows"):
        return True
    if container.stage is not None:
        return container.stage.os == "windows"
    image = registry_image(container)
    if image is not None and image_os(image) == "windows":
        return True
    facts = facts_for(container)
    if facts is not None and facts.os == "windows":
        return True
    return any(m.target is not None and m.target.os == "windows" for m in container.mounts)


# directories whose files nobody expects to keep: a VOLUME there is about the writable layer, not about data
SCRATCH_DIRECTORIES = (container_path("/tmp"), container_path("/var/tmp"))


def is_scratch_directory(path: ContainerPath) -> bool:
    """Whether `path` is, or is under, a directory of temporary files (`/tmp`, `/var/tmp`)."""
    return any(path.is_within(scratch) for scratch in SCRATCH_DIRECTORIES)


# What a data directory of each kind holds, for messages.
STATE_WORDS = {
    "database": "database files",
    "queue": "queues and messages",
    "search": "search indices",
    "cache": "cached entries",
    "ci": "jobs and builds",
    "registry": "stored images",
    "cms": "site content and uploads",
    "monitoring": "monitoring data",
    "vcs": "repositories",
    "object-storage": "stored objects",
    "management": "settings",
    "dns": "DNS settings",
    "code-quality": "analysis results",
    "collaboration": "files",
}


def state_words(kind: str) -> str:
    return STATE_WORDS.get(kind, "data")
