"""`dockerstore-lint inspect`: the storage model as JSON (a documented, stable shape) or a text tree."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from dockerstore_lint.model.container import Container, Mount
from dockerstore_lint.model.dockerfile import Dockerfile, Stage
from dockerstore_lint.model.group import Group
from dockerstore_lint.model.host_paths import DIRECTORY
from dockerstore_lint.model.workspace import Workspace

JSON_VERSION = 1

Display = Callable[[Path], str]


def model_json(workspace: Workspace, display: Display) -> dict[str, Any]:
    return {
        "version": JSON_VERSION,
        "projects": [_project(group, display) for group in workspace.groups if group.kind == "compose"],
        "groups": [_group(group, display) for group in workspace.groups],
        "dockerfiles": [_dockerfile(dockerfile) for dockerfile in workspace.dockerfiles],
    }


def _project(group: Group, display: Display) -> dict[str, Any]:
    return {
        "name": group.name,
        "files": list(group.files),
        "dotenv": group.dotenv,
        "services": {name: _container(container, display) for name, container in group.containers.items()},
        "volumes": _volumes(group),
    }


def _group(group: Group, display: Display) -> dict[str, Any]:
    return {
        "kind": group.kind,
        "name": group.name,
        "label": group.label,
        "files": list(group.files),
        "containers": [{"key": key, "label": container.label, "name": container.name, "origin": container.origin,
                        "throwaway": container.throwaway, **_container(container, display)}
                       for key, container in group.containers.items()],
        "volumes": _volumes(group),
        "volumes_on_demand": group.volumes_on_demand,
    }


def _volumes(group: Group) -> dict[str, Any]:
    return {name: {"driver": v.driver, "driver_opts": dict(v.driver_opts), "external": v.external,
                   "name": v.real_name, "file": v.span.file, "line": v.span.line}
            for name, v in group.volumes.items()}


def _container(container: Container, display: Display) -> dict[str, Any]:
    build = container.build
    return {
        "image": container.image.value if container.image else None,
        "user": container.user.value if container.user else None,
        "platform": container.platform,
        "read_only": container.read_only,
        "build": None if build is None else {
            "context": display(build.context),
            "dockerfile": display(build.dockerfile) if build.dockerfile else None,
            "target": build.target,
            "inline": build.inline,
        },
        "stage": None if container.stage is None or container.dockerfile is None else {
            "file": container.dockerfile.file, "index": container.stage.index, "name": container.stage.name,
            "line": container.stage.span.line,
        },
        "file": container.span.file,
        "line": container.span.line,
        "mounts": [_mount(mount) for mount in container.mounts],
        "volumes_from": [entry.ref + (":ro" if entry.read_only else "") for entry in container.volumes_from],
    }


# `origin` and `syntax`, the keys version 1 described mounts with, from how a mount was written
_ORIGINS = {"compose-tmpfs": "tmpfs"}


def _mount(mount: Mount) -> dict[str, Any]:
    return {
        "type": mount.kind,
        "source": _source(mount),
        "target": mount.target.text if mount.target else None,
        "read_only": mount.read_only,
        "origin": mount.purpose if mount.purpose != "storage" else _ORIGINS.get(mount.written_as, "volumes"),
        "syntax": "short" if mount.written_as in ("compose-short", "compose-tmpfs") else "long",
        "written_as": mount.written_as,
        "options": dict(mount.options),
        "invalid": mount.invalid,
        "resolved": mount.resolved,  # False: a variable that is not set here decides it
        "file": mount.span.file,
        "line": mount.span.line,
        "column": mount.span.column,
    }


def _source(mount: Mount) -> str | None:
    """A volume's name; a bind's host path, absolute where the repository's directory is known."""
    host = mount.host
    if host is not None and host.base == DIRECTORY and host.local is not None:
        return str(host.local)
    return mount.source


def _dockerfile(dockerfile: Dockerfile) -> dict[str, Any]:
    return {"file": dockerfile.file, "stages": [_stage(stage) for stage in dockerfile.stages]}


def _stage(stage: Stage) -> dict[str, Any]:
    return {
        "name": stage.name,
        "base": stage.base.raw,
        "parent": stage.parent,
        "line": stage.span.line,
        "os": stage.os,
        "user": stage.user.value if stage.user else None,
        "workdir": stage.workdir.value if stage.workdir else None,
        "volumes": [{"path": v.path.text, "line": v.span.line, "malformed": v.malformed} for v in stage.volumes],
        "populated": list(dict.fromkeys(c.path.text for c in stage.content)),
    }


def model_text(workspace: Workspace, display: Display) -> str:
    lines: list[str] = []
    for group in workspace.groups:
        heading = "project" if group.kind == "compose" else group.kind
        files = "" if group.files == (group.name,) else f": {', '.join(group.files)}"
        lines.append(f"{heading} {group.name}{files}")
        if group.dotenv is not None:
            stand_in = "" if group.dotenv.rsplit("/", 1)[-1] == ".env" else " (the project has no .env)"
            lines.append(f"  variables from {group.dotenv}{stand_in}")
        for container in group.containers.values():
            lines.extend(_container_text(container, display))
        for volume in group.volumes.values():
            details = [f"driver {volume.driver}" if volume.driver else "",
                       "external" if volume.external else "",
                       ", ".join(f"{k}={v}" for k, v in volume.driver_opts.items())]
            lines.append(f"  volume {volume.name}" + "".join(f"  [{d}]" for d in details if d))
        lines.append("")
    for dockerfile in workspace.dockerfiles:
        lines.append(f"dockerfile {dockerfile.file}")
        for stage in dockerfile.stages:
            lines.extend(_stage_text(stage))
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n" if lines else "nothing found\n"


def _container_text(container: Container, display: Display) -> list[str]:
    heading = f"service {container.name}" if container.origin == "compose" else container.label
    lines = [f"  {heading}  ({container.span.file}:{container.span.line})"]
    if container.image:
        lines.append(f"    image     {container.image.value}")
    if container.build:
        target = f" target {container.build.target}" if container.build.target else ""
        dockerfile = display(container.build.dockerfile) if container.build.dockerfile else "inline"
        built = f", stage {container.stage.label} (line {container.stage.span.line})" if container.stage else ""
        lines.append(f"    build     {dockerfile}{target}{built}")
    user = container.user.value if container.user else (
        f"{container.stage.user.value} (from the Dockerfile)" if container.stage and container.stage.user
        else "image default")
    lines.append(f"    user      {user}")
    if container.read_only:
        lines.append("    read_only true")
    if container.throwaway:
        lines.append("    throwaway true")
    for mount in container.mounts:
        source = _source(mount) or ("(anonymous)" if mount.kind == "volume" else "")
        arrow = f"{source} -> " if source else ""
        mode = "ro" if mount.read_only else "rw"
        note = f"  INVALID: {mount.invalid}" if mount.invalid else ""
        origin = _mount(mount)["origin"]
        shown_origin = f" {origin}" if origin != "volumes" else ""
        target = mount.target.text if mount.target else "?"
        lines.append(f"    {mount.kind:<6}{shown_origin} {arrow}{target} ({mode})  "
                     f"{mount.span.file}:{mount.span.line}:{mount.span.column}{note}")
    for entry in container.volumes_from:
        lines.append(f"    volumes_from {entry.ref}{' (ro)' if entry.read_only else ''}")
    return lines


def _stage_text(stage: Stage) -> list[str]:
    name = f" {stage.name}" if stage.name else ""
    lines = [f"  stage #{stage.index}{name}: FROM {stage.base.raw}  (line {stage.span.line}, {stage.os})"]
    lines.append(f"    user    {stage.user.value if stage.user else '(not set)'}")
    if stage.workdir:
        lines.append(f"    workdir {stage.workdir.value}")
    for volume in stage.volumes:
        broken = f"  MALFORMED: {volume.malformed}" if volume.malformed else ""
        lines.append(f"    VOLUME  {volume.path.text}  (line {volume.span.line}){broken}")
    for content in stage.content:
        what = f" {content.what}" if content.what else ""
        lines.append(f"    content {content.path.text}  ({content.instruction} line {content.span.line}){what}")
    return lines
