"""DSL604 writable-config-mount."""

from typing import Iterator

from dockerstore_lint.facts.files import file_extension, single_file_source
from dockerstore_lint.facts.image import is_windows_container
from dockerstore_lint.facts.storage import judged_mounts
from dockerstore_lint.facts.wording import read_only_hint
from dockerstore_lint.finding import UNSAFE, Finding, Fix
from dockerstore_lint.fixes.intents import AddReadOnly
from dockerstore_lint.model.container import BIND, Container
from dockerstore_lint.model.container_paths import container_path
from dockerstore_lint.model.group import Group
from dockerstore_lint.rule import Rule

# extensions of configuration files (package manifests such as package.json are project files, not config)
CONFIG_EXTENSIONS = frozenset({"conf", "cnf", "cf", "cfg", "config", "ini", "toml", "yaml", "yml", "properties"})
ETC = container_path("/etc")


class WritableConfigMount(Rule):
    """A single configuration file is bind-mounted into a container without `:ro`.

    ## What it does
    Flags a bind mount of one file that is a configuration file, by its extension (`.conf`,
    `.cnf`, `.cfg`, `.ini`, `.toml`, `.yaml`/`.yml`, `.properties`...) or because it lands under
    `/etc`, when the mount is not read-only. A mount counts as a single file when the source is a
    file in the repository, or, for a path outside it, when its name ends like a file.
    Directories, files that are not configuration (`init.sql`, `package.json`, source code), and
    Windows containers (where single-file binds are a problem of their own) are not flagged.

    ## Why it matters
    The process in the container, usually root, can rewrite the file in the working tree or on
    the host: an entrypoint that edits its configuration in place, a tool that saves settings
    back, or an attacker who got into the container and wants to survive its replacement. The
    change shows up as a mysterious diff in the repository, or persists in the host's
    configuration. A container has no reason to write to the file it is configured with.

    ## Example
    ```yaml
    services:
      web:
        image: nginx:1.27
        volumes:
          - ./nginx.conf:/etc/nginx/nginx.conf
    ```

    ## Fix
    ```yaml
    services:
      web:
        image: nginx:1.27
        volumes:
          - ./nginx.conf:/etc/nginx/nginx.conf:ro
    ```

    ## Fix safety
    Unsafe: the fix makes the mount read-only, and a process that writes its configuration (a
    first-start setup, a settings page) then fails where it worked.
    """

    code = "DSL604"
    level = "note"
    targets = ("container",)

    def container(self, container: Container, group: Group) -> Iterator[Finding]:
        if is_windows_container(container):
            return
        for mount in judged_mounts(container, BIND, writable=True):
            if mount.target is None or mount.host is None:
                continue
            # a missing source is DSL603's business
            if mount.host.exists is False or not single_file_source(mount):
                continue
            written = mount.source or ""
            if not ({file_extension(written), file_extension(mount.target.name)} & CONFIG_EXTENSIONS
                    or mount.target.strictly_within(ETC)):
                continue
            hint = read_only_hint(mount)
            how = f"add {hint}" + (f" ({written}:{mount.target}:ro)" if hint == ":ro" else "")
            yield self.finding(mount.span, f"{container.label} mounts the configuration file {written} at "
                                           f"{mount.target} writable: the container can change the file on the host",
                               how, fix=Fix(f"Add {hint}", applicability=UNSAFE, intent=AddReadOnly(mount)))
