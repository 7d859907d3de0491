"""`dockerstore-lint inspect`: the storage model as JSON (a documented, stable shape) or a text tree."""

from __future__ import annotations

from typing import Any, Callable

from dockerstore_lint.model.compose import Mount, Project, Service
from dockerstore_lint.model.dockerfile import Dockerfile, Stage
from dockerstore_lint.model.workspace import Workspace

JSON_VERSION = 1


def model_json(workspace: Workspace, display: Callable) -> dict[str, Any]:
    return {
        "version": JSON_VERSION,
        "projects": [_project(project, display) for project in workspace.projects],
        "dockerfiles": [_dockerfile(dockerfile) for dockerfile in workspace.dockerfiles],
    }


def _project(project: Project, display: Callable) -> dict[str, Any]:
    return {
        "name": project.name,
        "files": list(project.files),
        "dotenv": project.dotenv,
        "services": {name: _service(service, display) for name, service in project.services.items()},
        "volumes": {
            name: {"driver": v.driver, "driver_opts": dict(v.driver_opts), "external": v.external,
                   "name": v.real_name, "file": v.span.file, "line": v.span.line}
            for name, v in project.volumes.items()
        },
    }


def _service(service: Service, display: Callable) -> dict[str, Any]:
    build = service.build
    return {
        "image": service.image,
        "user": service.user.value if service.user else None,
        "platform": service.platform,
        "read_only": service.read_only,
        "build": None if build is None else {
            "context": display(build.context),
            "dockerfile": display(build.dockerfile) if build.dockerfile else None,
            "target": build.target,
            "inline": build.inline,
        },
        "stage": None if service.stage is None or service.dockerfile is None else {
            "file": service.dockerfile.file, "index": service.stage.index, "name": service.stage.name,
            "line": service.stage.span.line,
        },
        "file": service.span.file,
        "line": service.span.line,
        "mounts": [_mount(mount) for mount in service.mounts],
        "volumes_from": [entry.ref + (":ro" if entry.read_only else "") for entry in service.volumes_from],
    }


def _mount(mount: Mount) -> dict[str, Any]:
    return {
        "type": mount.type,
        "source": mount.source,
        "target": mount.target.text if mount.target else None,
        "read_only": mount.read_only,
        "origin": mount.origin,
        "syntax": mount.syntax,
        "options": {k: v for k, v in mount.options.items()},
        "invalid": mount.invalid,
        "file": mount.span.file,
        "line": mount.span.line,
        "column": mount.span.column,
    }


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


def model_text(workspace: Workspace, display: Callable) -> str:
    lines: list[str] = []
    for project in workspace.projects:
        lines.append(f"project {project.name}: {', '.join(project.files)}")
        if project.dotenv is not None:
            stand_in = "" if project.dotenv.rsplit("/", 1)[-1] == ".env" else " (the project has no .env)"
            lines.append(f"  variables from {project.dotenv}{stand_in}")
        for service in project.services.values():
            lines.extend(_service_text(service, display))
        for volume in project.volumes.values():
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


def _service_text(service: Service, display: Callable) -> list[str]:
    lines = [f"  service {service.name}  ({service.span.file}:{service.span.line})"]
    if service.image:
        lines.append(f"    image     {service.image}")
    if service.build:
        target = f" target {service.build.target}" if service.build.target else ""
        dockerfile = display(service.build.dockerfile) if service.build.dockerfile else "inline"
        built = f", stage {service.stage.label} (line {service.stage.span.line})" if service.stage else ""
        lines.append(f"    build     {dockerfile}{target}{built}")
    user = service.user.value if service.user else (
        f"{service.stage.user.value} (from the Dockerfile)" if service.stage and service.stage.user
        else "image default")
    lines.append(f"    user      {user}")
    if service.read_only:
        lines.append("    read_only true")
    for mount in service.mounts:
        source = mount.source or "(anonymous)" if mount.type == "volume" else mount.source or ""
        arrow = f"{source} -> " if source else ""
        mode = "ro" if mount.read_only else "rw"
        note = f"  INVALID: {mount.invalid}" if mount.invalid else ""
        origin = f" {mount.origin}" if mount.origin != "volumes" else ""
        target = mount.target.text if mount.target else "?"
        lines.append(f"    {mount.type:<6}{origin} {arrow}{target} ({mode})  "
                     f"{mount.span.file}:{mount.span.line}:{mount.span.column}{note}")
    for entry in service.volumes_from:
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
