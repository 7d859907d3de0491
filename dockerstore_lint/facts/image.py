"""What a service's image is and declares: the registry image it runs or builds FROM, its VOLUMEs, its data
directories, its operating system."""

from __future__ import annotations

from typing import NamedTuple, Optional

from dockerstore_lint.knowledge import DataDir, ImageFacts, image_facts
from dockerstore_lint.model.compose import Service
from dockerstore_lint.model.container_paths import ContainerPath, container_path
from dockerstore_lint.model.images import ImageRef, image_os, parse_image
from dockerstore_lint.model.span import Span


def registry_image(service: Service) -> Optional[ImageRef]:
    """The image from a registry the service runs: `image:`, or what its built stages start FROM."""
    if service.stage is not None and service.dockerfile is not None:
        return service.dockerfile.lineage(service.stage)[-1].base
    if service.build is not None:
        return None  # a build we could not read: `image:` is only the name it will be tagged with
    if not service.image or not service.image_resolved:
        return None
    return parse_image(service.image)


def facts_for(service: Service) -> Optional[ImageFacts]:
    image = registry_image(service)
    return image_facts(image) if image is not None else None


class ImageVolume(NamedTuple):
    """A path the service's image declares as VOLUME, and who says so."""

    path: ContainerPath
    span: Optional[Span]  # the VOLUME line, when the repository's Dockerfile declares it
    from_knowledge: bool
    holds_state: bool = True


def image_volumes(service: Service) -> list[ImageVolume]:
    """VOLUME paths of the service's image: its built stages', then the base image's known ones."""
    found: list[ImageVolume] = []
    if service.stage is not None:
        found.extend(ImageVolume(v.path, v.span, False) for v in service.stage.volumes if not v.malformed)
    facts = facts_for(service)
    if facts is not None:
        for volume in facts.volumes or ():
            if not any(v.path.same(volume.path) for v in found):
                state = volume.holds_state and volume.condition.holds(service.command)
                found.append(ImageVolume(volume.path, None, True, state))
    return found


def image_volumes_known(service: Service) -> bool:
    """Whether every VOLUME of the service's image is known (its Dockerfile's and its base image's)."""
    facts = facts_for(service)
    return facts is not None and facts.volumes is not None


def data_dirs(service: Service) -> tuple[DataDir, ...]:
    """Where the service's image keeps state, moved where its environment or command says."""
    facts = facts_for(service)
    if facts is None or not facts.stateful:
        return ()
    return facts.data_dirs_for(container_environment(service), service.command)


def container_environment(service: Service) -> dict[str, str]:
    """The variables the container starts with: its built stage's ENV, then Compose's environment."""
    environment = dict(service.stage.env) if service.stage is not None else {}
    environment.update(service.environment)
    return environment


def data_mount_point(service: Service, data_dir: ContainerPath) -> ContainerPath:
    """Where a volume keeps a data directory: the image's VOLUME that holds it, else the directory itself.

    PostgreSQL 18 keeps its data in /var/lib/postgresql/18/docker under VOLUME /var/lib/postgresql, and
    a mount at the VOLUME survives a major upgrade that the versioned directory would not.
    """
    holding = [v.path for v in image_volumes(service) if data_dir.is_within(v.path)]
    return max(holding, key=lambda path: len(path.parts), default=data_dir)


def is_windows_container(service: Service) -> bool:
    """Whether the service runs as a Windows container: its platform, built stage or image says so, or a
    mount target is a Windows path (Compose reads every target of a Windows service as one)."""
    if service.platform and service.platform.lower().startswith("windows"):
        return True
    if service.stage is not None:
        return service.stage.os == "windows"
    image = registry_image(service)
    if image is not None and image_os(image) == "windows":
        return True
    facts = facts_for(service)
    if facts is not None and facts.os == "windows":
        return True
    return any(m.target is not None and m.target.os == "windows" for m in service.mounts)


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
