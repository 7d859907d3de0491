"""DSL401 windows-single-file-mount."""

from typing import Iterator

from dockerstore_lint.facts.files import file_extension, single_file_source
from dockerstore_lint.facts.image import is_windows_container
from dockerstore_lint.finding import Finding
from dockerstore_lint.model.container import BIND, STORAGE, Container
from dockerstore_lint.model.group import Group
from dockerstore_lint.rule import Rule

ERROR = 'invalid mount config for type "bind": source path must be a directory'


class WindowsSingleFileMount(Rule):
    r"""A Windows container bind-mounts a single file, which Windows containers cannot do.

    ## What it does
    In a Windows container (a Windows image, `platform: windows/...`, or a mount target that is a
    Windows path such as `C:\app`), flags a bind mount whose source is a file, and a secret or
    config defined with `file:` that Compose bind-mounts as a file. A source is a file when the
    repository has it as one; a path outside the repository, or missing from it, counts as a file
    when its name ends like one (`web.config`, `appsettings.json`). Directory mounts and named
    pipes (`\\.\pipe\docker_engine`) are fine.

    ## Why it matters
    Windows containers can only bind-mount directories. Docker refuses the mount
    (`invalid mount config for type "bind": source path must be a directory`) and the container
    does not start, although the same Compose file works with Linux containers.

    ## Example
    ```yaml
    services:
      web:
        image: mcr.microsoft.com/dotnet/framework/aspnet:4.8-windowsservercore-ltsc2022
        volumes:
          - .\config\web.config:C:\inetpub\wwwroot\web.config
    ```

    ## Fix
    Mount the directory that holds the file, and point the application at it:
    ```yaml
    services:
      web:
        image: mcr.microsoft.com/dotnet/framework/aspnet:4.8-windowsservercore-ltsc2022
        volumes:
          - .\config:C:\config
    ```
    """

    code = "DSL401"
    level = "error"
    targets = ("container",)

    def container(self, container: Container, group: Group) -> Iterator[Finding]:
        if not is_windows_container(container):
            return
        for mount in container.mounts:
            if mount.kind != BIND or mount.invalid or not mount.resolved or mount.target is None:
                continue
            written = mount.source
            if mount.purpose != STORAGE:
                # a file-based secret or config is one file unless the repository has it as a directory
                if mount.host is not None and mount.host.exists and not mount.host.is_file:
                    continue
                if not (single_file_source(mount) or file_extension(mount.target.name)):
                    continue
                what = f"gets its {mount.purpose} from the file {written}, which Compose bind-mounts at {mount.target}"
            elif single_file_source(mount):
                what = f"bind-mounts the file {written} at {mount.target}"
            else:
                continue
            yield self.finding(
                mount.span,
                f"{container.label} {what}, but Windows containers can only bind-mount directories: "
                f"Docker refuses it ({ERROR}) and the container does not start",
                "mount the directory that holds the file instead",
            )
