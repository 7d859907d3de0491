"""DSL202 no-user."""

from typing import Iterator

from dockerstore_lint.facts.users import defines_process, installs_privilege_drop
from dockerstore_lint.finding import Finding, Related
from dockerstore_lint.knowledge import image_facts
from dockerstore_lint.model.dockerfile import Dockerfile, Stage
from dockerstore_lint.rule import Rule


class NoUser(Rule):
    """The image a Dockerfile builds never sets USER, so its process runs as root unless the base image says otherwise.

    ## What it does
    Flags the final stage of a Dockerfile when neither it nor the stages it is built FROM set
    `USER`, and its base image is not known to run as a non-root user or to switch to one in its
    entrypoint (the knowledge base knows postgres, redis, jenkins, the chiseled .NET images...).
    FROM scratch counts as root: a static binary alone still runs as uid 0. A base image the
    knowledge base does not know (or one chosen by a build argument) is flagged too, naming
    it: its default user is unknown, and most images run as root. On Windows the privileged
    account is ContainerAdministrator; Nano Server images run as ContainerUser and are not
    flagged. Neither is an image that installs gosu or su-exec, or whose entrypoint script (copied
    from beside the Dockerfile) runs its work through one, `su USER -c` or supervisord: like the
    official database images, its entrypoint starts as root only to run the service as another
    user. Nor is the
    root filesystem of a Docker managed plugin (a `config.json` beside the Dockerfile declares a
    `docker.*` interface): `docker plugin create` runs it with what that config grants. Only the
    final stage is judged: builder stages may well run as root.

    ## Why it matters
    Whatever the container writes to a bind mount is owned by root on the host, and files in
    named volumes are owned by root, so the same image later run with a non-root `user:` cannot
    write its own data. A process running as root also turns any escape from the application into
    root inside the container.

    ## Example
    ```dockerfile
    FROM python:3.12-slim
    WORKDIR /app
    COPY . .
    CMD ["python", "app.py"]
    ```

    ## Fix
    Create an account (or use a numeric id) and switch to it:
    ```dockerfile
    FROM python:3.12-slim
    RUN useradd --uid 10001 --create-home app
    WORKDIR /app
    COPY --chown=app . .
    USER app
    CMD ["python", "app.py"]
    ```
    """

    code = "DSL202"
    level = "note"
    targets = ("dockerfile",)

    def dockerfile(self, dockerfile: Dockerfile) -> Iterator[Finding]:
        stage = dockerfile.stage(None)
        if stage is None or stage.user is not None:
            return  # a USER in the stage or one it is built FROM is inherited
        if dockerfile.plugin:
            return  # a managed plugin's root filesystem: `docker plugin create` runs it as its config.json says
        if installs_privilege_drop(dockerfile, stage):
            return  # its entrypoint or init system steps down from root itself
        base_stage = dockerfile.base_stage(stage)
        base = base_stage.base
        own_process = defines_process(dockerfile, stage)
        if base.name == "scratch" and not own_process:
            return  # nothing to run: an artifact or bundle image (an OLM bundle, files for COPY --from)
        if own_process and _runs_wasm(dockerfile, stage):
            return  # a WebAssembly module, run by a Wasm runtime: no Linux user
        related = (Related(base_stage.span, f"the image is built FROM {base.display}"),) \
            if base_stage is not stage else ()
        fix = "add `USER ContainerUser`" if stage.os == "windows" else \
            "add a USER with a non-root account or numeric id"
        if base.name == "scratch":
            yield self.finding(stage.span, "the image is built FROM scratch and never sets USER: its process runs as "
                                           "root (uid 0)", f"{fix} (`USER 65532` needs no account)", related)
            return
        facts = image_facts(base)
        if facts is not None and not own_process and facts.runs_service is False:
            return  # a base or a toolchain image: whoever runs it names the process, and its user
        if facts is not None and (facts.supervisor is not None or facts.worker_user is not None):
            return  # root only supervises: the services, or the workers that serve requests, run as their own users
        if facts is not None and facts.user is not None:
            if not facts.user.privileged or facts.drops_root:
                return
            yield self.finding(stage.span, f"the image never sets USER, so its process runs as {facts.user.name} "
                                           f"like its base {base.display}", fix, related)
            return
        if stage.os == "windows":
            if "nanoserver" in f"{base.name}:{base.tag or ''}".lower():
                return  # Nano Server images run as ContainerUser unless they switch
            unless, default = "sets USER ContainerUser", "ContainerAdministrator"
        else:
            unless, default = "sets a non-root USER", "root"
        which = (f"base {base.display} runs as" if base.resolved
                 else f"base image runs as ({base.display} is set when building)")
        yield self.finding(stage.span, f"the image never sets USER, and dockerstore-lint does not know which user its "
                                       f"{which}: unless that image {unless}, the process runs as {default}", fix,
                           related)


def _runs_wasm(dockerfile: Dockerfile, stage: Stage) -> bool:
    """Whether the image's entrypoint is a WebAssembly module (`ENTRYPOINT ["app.wasm"]`)."""
    for member in dockerfile.lineage(stage):
        for instruction in reversed(member.instructions):
            if instruction.keyword == "ENTRYPOINT":
                return bool(instruction.args) and instruction.args[0].lower().endswith(".wasm")
    return False
