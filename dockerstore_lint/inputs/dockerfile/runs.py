"""RUN: the build-time mounts it uses, and what it demonstrably leaves in the image.

What a shell command writes cannot be known in general, so only these commands count, each with
an output location that is certain (relative paths are taken from the RUN's WORKDIR, followed by
any `cd DIR` earlier in the same RUN):

| command | content |
|---|---|
| `npm ci`, `npm install`/`i` (not `-g`) | `node_modules` (under `--prefix` if given) |
| `yarn`, `yarn install` | `node_modules` (or `--modules-folder`) |
| `pnpm install`/`i` (not `-g`) | `node_modules` |
| `composer install` | `vendor` (under `--working-dir`/`-d` if given) |
| `bundle install --deployment` / `--path DIR` | `vendor/bundle` / `DIR` |
| `pip install -t/--target DIR` (also `python -m pip`) | `DIR` |
| `python -m venv DIR...`, `virtualenv DIR`, `uv venv [DIR]` | `DIR` (`.venv` for `uv venv`) |
| `go build -o OUT` | the file `OUT` (a directory when it ends in `/`) |
| `dotnet publish -o/--output DIR` | `DIR` |
| `git clone URL [DIR]` | `DIR`, or the repository's name |
| `tar -x... -C/--directory DIR` | `DIR` |

`npm run build` and the like are left out: where a build writes depends on project files this
linter does not read. Whatever lands under a `--mount` target of the same RUN (a cache, a tmpfs, a
bind) is not in the image and is dropped.

Separately, `Run.writes` lists the paths a POSIX shell command plainly changes: the operands of
`mkdir`, `touch`, `chown`, `chgrp`, `chmod`, `rm` and `tee`, the destination of `cp` and `mv`, where
`curl -o` and `wget -O`/`-P` save a download, and output redirections (`echo x > FILE`). A path that
depends on anything unknown (an unset variable, `~`, a command substitution, a `cd` to an unknown place)
is left out. What a RUN makes and then removes itself (`curl -o /data/x.tgz ... && rm /data/x.tgz`) is
not left in the image: an `rm` drops the content and writes before it that it deletes, and is kept as a
write of its own (it may delete what earlier instructions left).
"""

from __future__ import annotations

import re
from typing import NamedTuple, Optional

from dockerstore_lint.inputs.dockerfile.content import place
from dockerstore_lint.inputs.dockerfile.lexer import heredoc_marker
from dockerstore_lint.inputs.dockerfile.words import Scope, expand
from dockerstore_lint.model.container_paths import ContainerPath, container_path
from dockerstore_lint.model.dockerfile import Content, Run, RunMount, RunWrite
from dockerstore_lint.model.span import Span

_MAY_MATTER = re.compile(r"(?<![\w.-])(?:npm|yarn|pnpm|composer(?:\.phar)?|bundle|pip[\d.]*|python[\d.]*|go|dotnet"
                         r"|git|tar|virtualenv|uv|curl|wget|mkdir|touch|chown|chgrp|chmod|rm|tee|cp|mv)(?![\w-])|>")
_GLOB = re.compile(r"[*?\[]")
# where a download is saved: the short option first
_DOWNLOAD_OPTIONS = {"curl": ("-o", "--output"), "wget": ("-O", "--output-document", "-P", "--directory-prefix")}
_SHELLS = frozenset(("sh", "bash", "ash", "dash", "zsh", "ksh"))
_ASSIGNMENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*=")
_PREFIX_WORDS = frozenset(("if", "then", "else", "elif", "do", "while", "until", "!", "time", "sudo", "exec",
                           "command", "nohup", "nice", "env", "{"))
_PIP = re.compile(r"pip[\d.]*\Z")
_PYTHON = re.compile(r"python[\d.]*\Z")
# options of `python -m venv`, `virtualenv` and `uv venv` that take the next word as their value
_VENV_VALUES = frozenset(("--prompt", "-p", "--python", "--seeder", "--creator", "--activators", "--app-data",
                          "--discovery", "--extra-search-dir", "--pip", "--setuptools", "--wheel", "--index-url",
                          "--extra-index-url", "--cache-dir", "--python-preference", "--index-strategy",
                          "--keyring-provider", "--link-mode", "--exclude-newer", "-i", "--directory", "--project"))
# git clone options that take the next word as their value
_GIT_CLONE_VALUES = frozenset(("-b", "--branch", "--depth", "-c", "--config", "-o", "--origin", "--reference",
                               "--separate-git-dir", "-j", "--jobs", "--filter", "--template", "-u",
                               "--upload-pack", "--shallow-since", "--shallow-exclude"))
# cmd and PowerShell: `\` is a path separator, not an escape
_PLAIN_TOKEN = re.compile(r"""(?P<separator>[;&|\n()])|(?P<word>(?:[^\s'";&|()]+|'[^']*'?|"[^"]*"?)+)""")


class RunStep(NamedTuple):
    """A RUN as written, waiting for the stage's WORKDIR and OS."""

    text: str  # the command after the flags, heredoc bodies appended
    script: str  # shell text to look for installs in ("" when there is nothing to look for)
    argv: tuple[str, ...]  # the exec form, when there is no script
    span: Span
    order: int
    mounts: tuple[RunMount, ...]
    scope: Scope  # ENV and ARG values the shell sees (only kept when `script` or `argv` may install)


def may_change_files(text: str) -> bool:
    """A cheap first look: does the text mention any command this module reads?"""
    return _MAY_MATTER.search(text) is not None


def runs_as_script(command: str) -> bool:
    """`RUN <<EOF` or `RUN bash -e <<EOF`: the heredoc bodies are the commands, not data for a program."""
    words = [word for word in command.split() if heredoc_marker(word) is None]
    return not words or (words[0].rsplit("/", 1)[-1] in _SHELLS and all(word.startswith("-") for word in words[1:]))


def parse_mounts(values: tuple[str, ...], scope: Scope, escape: str) -> tuple[RunMount, ...]:
    """`--mount=type=cache,target=/root/.cache` as BuildKit reads it (`launch/mount_spec.py`), values expanded
    like other words; a malformed one is left out."""
    if not values:
        return ()
    from dockerstore_lint.launch.mount_spec import buildkit_mount  # only a RUN with --mount needs it

    mounts = (buildkit_mount(value, lambda raw: expand(raw, scope, escape).text) for value in values)
    return tuple(mount for mount in mounts if mount is not None)


def run_outputs(step: RunStep, workdir: ContainerPath, stage: int) -> tuple[Run, list[Content]]:
    """The Run entry (with the paths it writes), and the Content its commands demonstrably create."""
    posix = workdir.os != "windows"
    if step.script:
        commands = _commands(step.script, posix)
    elif step.argv:
        commands = [(list(step.argv), [])]
    else:
        return Run(step.text, step.span, step.order, workdir, step.mounts), []
    mounted = [place(workdir, mount.target) for mount in step.mounts if mount.target]
    contents: list[Content] = []
    writes: list[RunWrite] = []
    cwd: Optional[ContainerPath] = workdir  # None once a `cd` went somewhere unknown
    for words, targets in commands:
        words = _strip_prefix(words)
        if posix:
            writes.extend(RunWrite(path, _short(words + [">", target]))
                          for target in targets if (path := _shell_path(target, cwd, step.scope)) is not None)
        if not words:
            continue
        program = words[0].replace("\\", "/").rsplit("/", 1)[-1].lower().removesuffix(".exe")
        if program == "cd":
            moved = len(words) == 2 and words[1] != "-" and not words[1].startswith("~")
            cwd = place(cwd, _expand(words[1], step.scope, posix)) if moved and cwd is not None else None
            continue
        if cwd is not None:
            for output, is_file, label in _known_outputs(program, words):
                path = place(cwd, _expand(output, step.scope, posix))
                contents.append(Content(path, "RUN", step.span, step.order, what=f"{label} from `{_short(words)}`",
                                        is_file=is_file, stage=stage))
        if not posix:
            continue
        writes.extend(RunWrite(path, _short(words)) for output in _downloads(program, words)
                      if (path := _shell_path(output, cwd, step.scope)) is not None)
        for operand, recursive in _changed_operands(words):
            path = _shell_path(operand, cwd, step.scope)
            if path is None:
                continue
            if program == "rm":
                # what this RUN made and removes again is not left in the image
                contents = [c for c in contents if not _removes(path, c.path)]
                writes = [w for w in writes if not _removes(path, w.path)]
            writes.append(RunWrite(path, _short(words), recursive, removes=program == "rm",
                                   makes_directory=program == "mkdir"))
    # written into a build-time mount: gone afterwards
    contents = [c for c in contents if not any(c.path.is_within(target) for target in mounted)]
    writes = [w for w in writes if not any(w.path.is_within(target) for target in mounted)]
    return Run(step.text, step.span, step.order, workdir, step.mounts, tuple(writes)), contents


def _removes(removed: ContainerPath, path: ContainerPath) -> bool:
    """Whether `rm` of `removed` (a path, or a glob in its last part: `/data/*`) deletes `path`."""
    if not _GLOB.search(removed.name):
        return path.is_within(removed)
    from fnmatch import fnmatchcase

    parent = removed.parent
    return path.strictly_within(parent) and fnmatchcase(path.parts[len(parent.parts)], removed.name)


def _downloads(program: str, words: list[str]) -> list[str]:
    """Where `curl -o FILE` and `wget -O FILE` (or `-P DIR`) save what they download (not `-`, standard output)."""
    names = _DOWNLOAD_OPTIONS.get(program, ())
    if not names:
        return []
    glued = names[0]  # `-ofile`
    found = []
    for index, word in enumerate(words[1:], 1):
        if word in names and index + 1 < len(words):
            found.append(words[index + 1])
        elif word.startswith(tuple(f"{name}=" for name in names if name.startswith("--"))):
            found.append(word.split("=", 1)[1])
        elif word.startswith(glued) and len(word) > 2 and not word.startswith("--"):
            found.append(word[2:])
    return [output for output in found if output != "-"]


def _expand(word: str, scope: Scope, posix: bool) -> str:
    # the shell expands $VAR from ENV and ARG; Windows shells spell variables differently
    return expand(word, scope).text if posix and "$" in word else word


def _commands(script: str, posix: bool) -> list[tuple[list[str], list[str]]]:
    """Simple commands of a shell script: each one's words (quotes removed, what is not known left as written)
    and the files its output is redirected to. A POSIX script is read by the shared shell reader
    (`text/shell_words.py`); a Windows one (cmd, PowerShell, where a backslash is a path separator) is only
    split at blanks, quotes and `& | ; ( )`: enough to recognise a command and its options."""
    if not posix:
        commands: list[tuple[list[str], list[str]]] = []
        words: list[str] = []
        for token in _PLAIN_TOKEN.finditer(script):
            if token.lastgroup == "word":
                words.append(token.group().replace('"', "").replace("'", ""))
            elif words:
                commands.append((words, []))
                words = []
        return commands + [(words, [])] if words else commands
    from dockerstore_lint.text.shell_words import parse_shell, resolve_word

    return [([resolve_word(word).value for word in command.words],
             [resolve_word(redirection.target).value for redirection in command.redirections
              if redirection.target is not None and _writes_file(redirection.operator)])
            for command in parse_shell(script, "").commands]


def _writes_file(operator: str) -> bool:
    """`> FILE`, `>> FILE`, `&> FILE` write a file; `>&2` duplicates a descriptor; `<` reads."""
    return ">" in operator and not operator.endswith("&")


def _known_outputs(program: str, words: list[str]) -> list[tuple[str, bool, str]]:
    if program == "php" and len(words) > 1 and words[1].endswith("composer.phar"):
        program, words = "composer", words[1:]
    if _PYTHON.match(program) and len(words) > 2 and words[1] == "-m" and words[2] in ("pip", "venv", "virtualenv"):
        program, words = words[2], words[2:]
    if program in ("venv", "virtualenv") or (program == "uv" and words[1:2] == ["venv"]):
        return _venvs(words[2:] if program == "uv" else words[1:], default=".venv" if program == "uv" else None)
    # the subcommand comes first (`npm ci`); `yarn --frozen-lockfile` has none and installs
    sub = words[1] if len(words) > 1 and not words[1].startswith("-") else ""
    is_global = any(word in ("-g", "--global", "--location=global") for word in words)
    if program == "npm" and sub in ("ci", "install", "i") and not is_global:
        prefix = _option(words, "--prefix")
        return [(_under(prefix, "node_modules"), False, "node_modules")]
    if program == "yarn" and sub in ("", "install"):
        return [(_option(words, "--modules-folder") or "node_modules", False, "node_modules")]
    if program == "pnpm" and sub in ("install", "i") and not is_global:
        return [("node_modules", False, "node_modules")]
    if program in ("composer", "composer.phar") and sub == "install":
        return [(_under(_option(words, "--working-dir", "-d"), "vendor"), False, "vendor")]
    if program == "bundle" and sub == "install":
        path = _option(words, "--path")
        if path:
            return [(path, False, "gems")]
        return [("vendor/bundle", False, "gems")] if "--deployment" in words else []
    if _PIP.match(program) and sub == "install":
        target = _option(words, "--target", "-t")
        return [(target, False, "Python packages")] if target else []
    if program == "go" and sub == "build":
        output = _option(words, "-o")
        return [(output, not output.endswith("/"), "binary")] if output else []
    if program == "dotnet" and sub == "publish":
        output = _option(words, "--output", "-o")
        return [(output, False, "published application")] if output else []
    if program == "git" and sub == "clone":
        return _git_clone(words)
    if program == "tar" and _extracts(words):
        directory = _option(words, "--directory", "-C")
        return [(directory, False, "unpacked files")] if directory else []
    return []


def _venvs(arguments: list[str], default: Optional[str]) -> list[tuple[str, bool, str]]:
    """The directories a virtual environment is made in: the operands (`python -m venv` takes several), else
    `default`."""
    directories = _operands(arguments, _VENV_VALUES)
    return [(directory, False, "virtual environment") for directory in directories or ([default] if default else [])]


def _operands(words: list[str], taking_values: frozenset[str]) -> list[str]:
    """The words that are no option, nor the value of one of the options `taking_values`."""
    operands = []
    index = 0
    while index < len(words):
        word = words[index]
        if word in taking_values:
            index += 2
            continue
        if not word.startswith("-"):
            operands.append(word)
        index += 1
    return operands


def _git_clone(words: list[str]) -> list[tuple[str, bool, str]]:
    positional = _operands(words[words.index("clone") + 1:], _GIT_CLONE_VALUES)
    if not positional:
        return []
    if len(positional) > 1:
        return [(positional[1], False, "repository")]
    name = positional[0].rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1].removesuffix(".git")
    return [(name, False, "repository")] if name else []


def _extracts(words: list[str]) -> bool:
    first = words[1] if len(words) > 1 else ""
    if first and not first.startswith("-") and "x" in first:
        return True  # old-style bundled options: `tar xzf archive.tgz`
    return any(word in ("--extract", "--get") or (re.fullmatch(r"-[A-Za-z]*x[A-Za-z]*", word) is not None)
               for word in words[1:])


def _option(words: list[str], *names: str) -> Optional[str]:
    """The value of `--name VALUE`, `--name=VALUE` or `--name:VALUE` (dotnet)."""
    for index, word in enumerate(words[1:], 1):
        for name in names:
            if word == name and index + 1 < len(words):
                return words[index + 1]
            if name.startswith("--") and word.startswith((name + "=", name + ":")):
                return word[len(name) + 1:]
    return None


def _under(directory: Optional[str], name: str) -> str:
    return f"{directory.rstrip('/')}/{name}" if directory else name


# per command whose operands it changes, the options that take the next word as their value
_VALUE_OPTIONS = {
    "chown": ("--from",), "chgrp": (), "chmod": (), "rm": (), "tee": (),
    "mkdir": ("-m", "--mode", "--context"), "touch": ("-d", "--date", "-r", "--reference", "-t"),
    "cp": ("-t", "--target-directory", "-S", "--suffix"), "mv": ("-t", "--target-directory", "-S", "--suffix"),
}
_RECURSIVE = frozenset(("-R", "--recursive"))
# chmod's own options; any other word starting with `-` is a mode (`chmod -x FILE`)
_CHMOD_OPTIONS = frozenset(("-R", "-c", "-f", "-v", "--recursive", "--changes", "--silent", "--quiet", "--verbose",
                            "--preserve-root", "--no-preserve-root"))


def _changed_operands(words: list[str]) -> list[tuple[str, bool]]:
    """(operand, recursive) for each path the command changes, if it is one of the commands read."""
    program = words[0].rsplit("/", 1)[-1]
    if program not in _VALUE_OPTIONS:
        return []
    options, operands = _split_options(program, words[1:])
    recursive = any(option in _RECURSIVE or (option.startswith("-") and not option.startswith("--")
                                             and "R" in option) for option in options)
    if program in ("chown", "chgrp", "chmod"):
        by_reference = any(option.startswith("--reference") for option in options)
        operands = operands if by_reference else operands[1:]  # the owner, group or mode comes first
        return [(operand, recursive) for operand in operands]
    if program in ("cp", "mv"):
        target = next((o.split("=", 1)[1] for o in options if o.startswith("--target-directory=")), None)
        if target is None and "-t" in options:
            target = options[options.index("-t") + 1] if options.index("-t") + 1 < len(options) else None
        if target is not None:
            return [(target, False)]
        return [(operands[-1], False)] if len(operands) > 1 else []
    return [(operand, False) for operand in operands]


def _split_options(program: str, words: list[str]) -> tuple[list[str], list[str]]:
    """Options (with the values they take) and operands, as GNU and busybox tools read them."""
    takes_value = _VALUE_OPTIONS[program]
    options: list[str] = []
    operands: list[str] = []
    index = 0
    while index < len(words):
        word = words[index]
        if word == "--":
            operands.extend(words[index + 1:])
            break
        is_mode = program == "chmod" and word not in _CHMOD_OPTIONS and not word.startswith("--reference")
        if word.startswith("-") and len(word) > 1 and not is_mode:
            options.append(word)
            if word in takes_value and index + 1 < len(words):
                options.append(words[index + 1])
                index += 1
        else:
            operands.append(word)
        index += 1
    return options, operands


def _shell_path(word: str, cwd: Optional[ContainerPath], scope: Scope) -> Optional[ContainerPath]:
    """A path on a RUN's command line as the shell would see it, if that can be told."""
    if not word or word.startswith(("~", "-")):
        return None
    text = expand(word, scope).text if "$" in word else word
    if "$" in text or "`" in text or (cwd is None and not text.startswith("/")):
        return None  # an unknown variable, a command substitution or directory: it could be anywhere
    return container_path(text, "linux") if text.startswith("/") or cwd is None else cwd.join(text)


def _strip_prefix(words: list[str]) -> list[str]:
    """Drop what runs a command without being it: `VAR=x`, `sudo`, `then`, `env`..."""
    index = 0
    while index < len(words) and (words[index] in _PREFIX_WORDS or _ASSIGNMENT.match(words[index])):
        index += 1
    return words[index:]


def _short(words: list[str]) -> str:
    text = " ".join(words)
    return text if len(text) <= 60 else text[:57] + "..."
