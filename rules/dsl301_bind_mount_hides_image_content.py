"""DSL301 bind-mount-hides-image-content."""

import os

from dockerstore_lint.facts.files import describe_image_files, service_image_files, single_file_source
from dockerstore_lint.facts.image import facts_for, is_windows_container, registry_image
from dockerstore_lint.facts.storage import storage_at
from dockerstore_lint.rule import Related, Rule

# how many hidden paths a message names before it says "and N more"
SHOWN = 3


class BindMountHidesImageContent(Rule):
    """A directory bind mount hides files the image has there and the host directory does not bring back.

    ## What it does
    Flags a directory bind mount at or above a directory where the service's image has files that
    the mounted host directory does not provide: what a `RUN` made (`node_modules` from `npm ci`,
    a `go build` output), what was copied from another build stage or image (`COPY --from`), a
    download, files copied from another part of the build context than the one mounted, and the
    known content of well-known base images (nginx's `/etc/nginx`).

    Not flagged: binding the very directory the Dockerfile copies (`COPY . /app` with `.:/app`, the
    live-reload pattern), since the host files are the ones the image was built from; content kept
    visible by a volume at its path (`- /app/node_modules`); directories the image makes to be
    replaced (nginx's `/usr/share/nginx/html`); single-file binds; images the linter does not know.
    A source outside the project (`/srv/app`, `~/code`) is not compared with the build context, and
    files excluded by `.dockerignore` are not taken into account.

    ## Why it matters
    A bind mount replaces the whole directory: the container sees only the host's files. The
    dependencies the image installed, the application it built or the configuration it ships are
    gone, and the container fails with "Cannot find module", runs stale code, or nginx exits with
    `open() "/etc/nginx/nginx.conf" failed`, while the same image works without the mount.

    ## Example
    ```yaml
    services:
      web:
        build: .          # WORKDIR /app, COPY . ., RUN npm ci
        volumes:
          - ./src:/app
    ```

    ## Fix
    Bind the directory the image was built from, and keep what the build made in a volume at its
    path:
    ```yaml
    services:
      web:
        build: .
        volumes:
          - .:/app
          - /app/node_modules
    ```
    """

    code = "DSL301"
    name = "bind-mount-hides-image-content"
    level = "warning"

    def service(self, service, project):
        # a Windows container refuses to mount over files instead of hiding them: DSL402 says so
        if is_windows_container(service):
            return
        for mount in service.mounts:
            if mount.type != "bind" or mount.origin != "volumes" or mount.invalid or not mount.resolved \
                    or mount.target is None or mount.host is None or mount.host.kind == "npipe" \
                    or single_file_source(mount):
                continue
            files = service_image_files(service, mount.target)
            # a file of the image at the target itself: the mount is a file mount
            if any(f.is_file and f.path.same(mount.target) for f in files):
                continue
            hidden = [f for f in files
                      if storage_at(service, f.path).mount == mount and not _brought_back(f, mount, service)]
            if hidden:
                yield self._finding(service, mount, hidden)

    def _finding(self, service, mount, hidden):
        hidden = sorted(hidden, key=_importance)
        count = len(dict.fromkeys(f.path for f in hidden))
        shown = describe_image_files(hidden, registry_image(service), SHOWN)
        host = f"the host directory {mount.source_written}"
        if count == 1:
            what = f"hides {shown}, which {host} does not provide"
        else:
            what = f"hides {count} paths of the image that {host} does not provide: {shown}"
        related = tuple(Related(f.content.span, f"{f.path}: {f.what}") for f in hidden if f.content is not None)
        return self.finding(
            mount.span,
            f"service '{service.name}': bind mount {mount.source_written}:{mount.target} {what}; "
            f"{_advice(service, mount, hidden)}",
            related,
        )


def _brought_back(files, mount, service) -> bool:
    """Whether the host directory holds the very files the Dockerfile copied from the build context there.

    `COPY X P` with X a directory puts X's content at P, with X a file puts it at P (or P/X's name when P
    is a directory): the bind brings them back when the host path it shows at P is context/X, or the
    directory context/X is in. Which of the two X is cannot be told without the context on disk, so
    either counts.
    """
    if _kind(files) != CONTEXT or service.build is None:
        return False
    if mount.host.kind != "relative":
        return True  # a path on the machine that runs the containers: whether it holds the context is unknown
    content = files.content
    below = content.path.parts[len(mount.target.parts):]
    shown_here = _host(os.path.join(mount.source, *below))
    return all(shown_here in (copied, os.path.dirname(copied))
               for copied in (_copied_from(service, source) for source in content.sources))


def _copied_from(service, source: str) -> str:
    # a leading `/` in a COPY source is the root of the build context
    return _host(os.path.join(service.build.context, source.lstrip("/")))


def _host(path) -> str:
    # Compose keeps backslashes of a relative source as written; on disk they are separators
    return os.path.normpath(str(path).replace("\\", "/"))


# what put the hidden files there, most telling first: made by the build, copied from the context, the base image's
BUILT, CONTEXT, BASE = 0, 1, 2


def _kind(files) -> int:
    content = files.content
    if content is None:
        return BASE
    if content.instruction in ("COPY", "ADD") and content.from_stage is None and content.sources:
        return CONTEXT
    return BUILT  # RUN output, COPY --from, a download or a heredoc


def _written_like(mount, directory: str) -> str:
    """`directory` written the way the mount's source is, relative to the same file's directory."""
    path = os.path.normpath(os.path.join(mount.source_written, os.path.relpath(directory, _host(mount.source))))
    return path if path.startswith((".", "/", "~")) else "./" + path


def _importance(files):
    content = files.content
    return (_kind(files),) + ((content.stage, content.order) if content is not None else (0, 0))


def _advice(service, mount, hidden) -> str:
    """What keeps the files visible: a volume for what the build made below the mount, the right host
    directory for what was copied from the context, drop-in directories for a base image's files."""
    advice = []
    copied = next((f for f in hidden if _kind(f) == CONTEXT and not f.is_file and len(f.content.sources) == 1), None)
    if copied is not None:
        source = _written_like(mount, _copied_from(service, copied.content.sources[0]))
        advice.append(f"bind the directory the Dockerfile copies there instead ({source}:{copied.path})")
    built = list(dict.fromkeys(f.path.text for f in hidden
                               if _kind(f) == BUILT and not f.is_file and f.path.strictly_within(mount.target)))
    if built:
        volumes = ", ".join(f"`- {path}`" for path in built[:SHOWN])
        advice.append(f"keep what the build made with a volume at {'that path' if len(built) == 1 else 'each path'} "
                      f"({volumes})")
    if advice:
        return " and ".join(advice)
    if any(_kind(f) == BASE for f in hidden):
        facts = facts_for(service)
        drop_in = next((r.path for r in facts.replaceable if r.path.strictly_within(mount.target)), None)
        return "mount only the files you change" + (f", or a drop-in directory such as {drop_in}" if drop_in else "")
    return "mount it somewhere else, or drop the bind so that the container runs what the image was built with"
