"""What COPY, ADD and RUN put into the image; RUN mounts."""

from pathlib import Path

import pytest

from dockerstore_lint.inputs.dockerfile.parse import parse_dockerfile
from dockerstore_lint.model.dockerfile import RunMount
from dockerstore_lint.model.span import Span
from dockerstore_lint.text.sources import Source


def stage_of(text):
    dockerfile = parse_dockerfile(Source(Path("/project/Dockerfile"), "Dockerfile", text))
    assert dockerfile.problems == ()
    return dockerfile.stages[-1]


def content(text):
    return [(c.path.text, c.is_file, c.instruction, c.sources, c.from_stage, c.what)
            for c in stage_of(text).content]


# --- COPY / ADD ------------------------------------------------------------------------------

@pytest.mark.parametrize("copy, expected", [
    ("COPY . .", ("/app", False, ("."), "files copied from the build context (.)")),
    ("COPY src/ /srv/", ("/srv", False, ("src/"), "files copied from the build context (src/)")),
    ("COPY src /srv", ("/srv", False, ("src"), "files copied from the build context (src)")),
    ("COPY a.txt b.txt conf", ("/app/conf", False, ("a.txt", "b.txt"),
                               "files copied from the build context (a.txt b.txt)")),
    ("COPY *.json ./", ("/app", False, ("*.json"), "files copied from the build context (*.json)")),
    ("COPY package.json .", ("/app/package.json", True, ("package.json"),
                             "files copied from the build context (package.json)")),
    ("COPY input.txt /", ("/input.txt", True, ("input.txt"), "files copied from the build context (input.txt)")),
    ("COPY nginx.conf /etc/nginx/nginx.conf", ("/etc/nginx/nginx.conf", True, ("nginx.conf"),
                                               "files copied from the build context (nginx.conf)")),
    # the destination is the WORKDIR, a directory: the file goes inside it
    ("COPY app.py /app", ("/app/app.py", True, ("app.py"), "files copied from the build context (app.py)")),
    ('COPY ["my file.txt", "dir with space/"]', ("/app/dir with space/my file.txt", True, ("my file.txt"),
                                                 "files copied from the build context (my file.txt)")),
    ("COPY $SRC $DEST/", ("$DEST", False, ("$SRC"), "files copied from the build context ($SRC)")),
])
def test_copy_from_the_build_context(copy, expected):
    path, is_file, sources, what = expected
    sources = sources if isinstance(sources, tuple) else (sources,)
    assert content(f"FROM a\nWORKDIR /app\n{copy}\n") == [(path, is_file, "COPY", sources, None, what)]


def test_copy_flags_and_span():
    stage = stage_of("FROM a AS build\nFROM b\nCOPY --from=build --chown=app:app --chmod=644 --link --parents "
                     "--exclude=*.md --exclude=*.txt /out/ /srv/\n")
    entry = stage.content[0]
    assert (entry.path.text, entry.from_stage, entry.what, entry.sources, entry.order, entry.stage) == (
        "/srv", "build", "output of stage build", ("/out/",), 1, 1)
    assert entry.span == Span("Dockerfile", 3, 1, 3, 106)
    assert stage.instructions[1].flags == {"from": ("build",), "chown": ("app:app",), "chmod": ("644",), "link": ("",),
                                           "parents": ("",), "exclude": ("*.md", "*.txt")}
    assert stage.instructions[1].args == ("/out/", "/srv/")


def test_copy_parents_keeps_the_source_directories():
    assert content("FROM a\nCOPY --parents ./src/app/main.py /dst/\nCOPY --parents=false conf/app.ini /etc/\n") == [
        ("/dst", False, "COPY", ("./src/app/main.py",), None,
         "files copied from the build context (./src/app/main.py)"),
        ("/etc/app.ini", True, "COPY", ("conf/app.ini",), None, "files copied from the build context (conf/app.ini)"),
    ]


def test_copy_from_an_index_an_image_and_a_variable():
    assert [c.what for c in stage_of("ARG S=build\nFROM a AS build\nFROM b\nARG S\nCOPY --from=0 /x /y/\n"
                                     "COPY --from=nginx:alpine /etc/nginx/ /etc/nginx/\nCOPY --from=$S /z /z/\n"
                                     ).content] == [
        "output of stage 0", "files copied from image nginx:alpine", "output of stage build"]


def test_copy_heredoc_source():
    assert content("FROM a\nCOPY <<EOF /etc/app.conf\nkey=1\nEOF\nCOPY <<-\"CONF\" /etc/conf.d/\n\tx\n\tCONF\n") == [
        ("/etc/app.conf", True, "COPY", (), None, "inline file from heredoc <<EOF"),
        ("/etc/conf.d/CONF", True, "COPY", (), None, "inline file from heredoc <<CONF"),
    ]


def test_add_url_archive_and_git():
    assert content("FROM a\nWORKDIR /opt\nADD https://example.com/tool-1.0.tar.gz?x=1 /tmp/\n"
                   "ADD https://example.com/get.sh /usr/local/bin/get\nADD app.tar.gz /srv/\n"
                   "ADD https://github.com/x/y.git /src/y\n") == [
        ("/tmp/tool-1.0.tar.gz", True, "ADD", (), None, "download of https://example.com/tool-1.0.tar.gz?x=1"),
        ("/usr/local/bin/get", True, "ADD", (), None, "download of https://example.com/get.sh"),
        ("/srv", False, "ADD", ("app.tar.gz",), None, "archive unpacked from the build context (app.tar.gz)"),
        ("/src/y", False, "ADD", (), None, "download of https://github.com/x/y.git"),
    ]


def test_windows_destinations():
    stage = stage_of("# escape=`\nFROM mcr.microsoft.com/windows/nanoserver:1809\nWORKDIR C:\\app\n"
                     "COPY web.config .\nCOPY bin/ C:\\app\\bin\\\n")
    assert [(c.path.text, c.path.os, c.is_file) for c in stage.content] == [
        ("C:\\app\\web.config", "windows", True), ("C:\\app\\bin", "windows", False)]


# --- RUN mounts --------------------------------------------------------------------------------

def test_run_mounts_are_parsed_as_buildkit_does():
    stage = stage_of("FROM a\nARG CACHE=/root/.cache\nRUN --mount=type=cache,target=$CACHE/pip,sharing=locked "
                     "--mount=type=bind,source=.,target=/src,ro --mount=target=/x \\\n    pip install .\n")
    run = stage.runs[0]
    assert run.mounts == (
        RunMount("cache", "/root/.cache/pip", {"sharing": "locked"}),
        RunMount("bind", "/src", {"source": ".", "ro": ""}),
        RunMount("bind", "/x", {}),
    )
    assert (run.text, run.order, run.workdir.text) == ("pip install .", 2, "/")
    assert run.span == Span("Dockerfile", 3, 1, 4, 18)
    assert stage.instructions[2].args == ("pip", "install", ".")


def test_run_text_keeps_heredoc_bodies_and_args_are_unexpanded_words():
    stage = stage_of('FROM a\nRUN <<EOF\necho "$HOME"\nEOF\nCMD ["sh", "-c", "echo $HOME"]\n')
    assert stage.runs[0].text == '<<EOF\necho "$HOME"\nEOF'
    assert stage.instructions[1].heredocs == (("EOF", 'echo "$HOME"\n'),)
    assert stage.instructions[2].args == ("sh", "-c", "echo $HOME") and stage.instructions[2].json_form


# --- what RUN puts into the image --------------------------------------------------------------

@pytest.mark.parametrize("command, path, is_file, what", [
    ("npm ci", "/app/node_modules", False, "node_modules from `npm ci`"),
    ("npm install --production", "/app/node_modules", False, "node_modules from `npm install --production`"),
    ("npm i --prefix /opt/web", "/opt/web/node_modules", False, "node_modules from `npm i --prefix /opt/web`"),
    ("yarn", "/app/node_modules", False, "node_modules from `yarn`"),
    ("yarn install --frozen-lockfile", "/app/node_modules", False,
     "node_modules from `yarn install --frozen-lockfile`"),
    ("yarn --modules-folder /deps", "/deps", False, "node_modules from `yarn --modules-folder /deps`"),
    ("pnpm install", "/app/node_modules", False, "node_modules from `pnpm install`"),
    ("composer install --no-dev", "/app/vendor", False, "vendor from `composer install --no-dev`"),
    ("composer install --working-dir=/srv/api", "/srv/api/vendor", False,
     "vendor from `composer install --working-dir=/srv/api`"),
    ("php composer.phar install", "/app/vendor", False, "vendor from `php composer.phar install`"),
    ("bundle install --deployment", "/app/vendor/bundle", False, "gems from `bundle install --deployment`"),
    ("bundle install --path vendor/gems", "/app/vendor/gems", False, "gems from `bundle install --path vendor/gems`"),
    ("pip install -r requirements.txt -t /deps", "/deps", False,
     "Python packages from `pip install -r requirements.txt -t /deps`"),
    ("python3 -m pip install --target=lib .", "/app/lib", False,
     "Python packages from `python3 -m pip install --target=lib .`"),
    ("go build -o /bin/server ./cmd/server", "/bin/server", True,
     "binary from `go build -o /bin/server ./cmd/server`"),
    ("go build -o out/ ./...", "/app/out", False, "binary from `go build -o out/ ./...`"),
    ("dotnet publish -c Release -o /out App.csproj", "/out", False,
     "published application from `dotnet publish -c Release -o /out App.csproj`"),
    ("dotnet publish --output:dist", "/app/dist", False, "published application from `dotnet publish --output:dist`"),
    ("git clone --depth 1 -b main https://github.com/x/tool.git", "/app/tool", False,
     "repository from `git clone --depth 1 -b main https://github.com/x/tool.git`"),
    ("git clone git@github.com:x/y.git /src/y", "/src/y", False,
     "repository from `git clone git@github.com:x/y.git /src/y`"),
    ("tar -xzf /tmp/a.tgz -C /opt/a", "/opt/a", False, "unpacked files from `tar -xzf /tmp/a.tgz -C /opt/a`"),
    ("tar xjf b.tbz --directory=/opt/b", "/opt/b", False, "unpacked files from `tar xjf b.tbz --directory=/opt/b`"),
    ("python -m venv .venv", "/app/.venv", False, "virtual environment from `python -m venv .venv`"),
    ("python3.12 -m venv --upgrade-deps --prompt app /opt/venv", "/opt/venv", False,
     "virtual environment from `python3.12 -m venv --upgrade-deps --prompt app /opt/venv`"),
    ("virtualenv -p python3 env", "/app/env", False, "virtual environment from `virtualenv -p python3 env`"),
    ("uv venv", "/app/.venv", False, "virtual environment from `uv venv`"),
    ("uv venv --python 3.12 /opt/venv", "/opt/venv", False,
     "virtual environment from `uv venv --python 3.12 /opt/venv`"),
    ("cd /srv/web && NODE_ENV=production npm ci", "/srv/web/node_modules", False, "node_modules from `npm ci`"),
    ("cd sub; cd deeper && sudo npm ci", "/app/sub/deeper/node_modules", False, "node_modules from `npm ci`"),
    ("set -e; if true; then npm ci; fi", "/app/node_modules", False, "node_modules from `npm ci`"),
])
def test_run_content(command, path, is_file, what):
    entries = stage_of(f"FROM a\nWORKDIR /app\nRUN {command}\n").content
    assert [(c.path.text, c.is_file, c.instruction, c.what, c.order, c.sources) for c in entries] == [
        (path, is_file, "RUN", what, 2, ())]


@pytest.mark.parametrize("command", [
    "npm install -g npm@10",
    "npm run build",
    "yarn build",
    "yarn global add serve",
    "pnpm add -g pnpm",
    "bundle install",
    "pip install -r requirements.txt",
    "python -m venv --help",
    "uv pip install -r requirements.txt",
    "go build ./...",
    "dotnet publish -c Release",
    "tar -czf /tmp/out.tgz -C /src .",
    "tar -xzf a.tgz",
    "cd - && npm ci",
    "cd && npm ci",
    "echo npm ci",
    "apt-get install -y git tar",
])
def test_run_without_certain_content(command):
    assert stage_of(f"FROM a\nWORKDIR /app\nRUN {command}\n").content == ()


def test_run_variables_in_output_paths():
    entries = stage_of("FROM a\nENV APP=/srv/app\nARG OUT=/out\nRUN cd $APP && npm ci && go build -o ${OUT}/srv .\n"
                       "RUN pip install -t $SITE .\n").content
    assert [(c.path.text, c.path.resolved) for c in entries] == [("/srv/app/node_modules", True), ("/out/srv", True),
                                                                 ("$SITE", False)]


def test_build_time_mounts_do_not_put_content_into_the_image():
    entries = stage_of("FROM a\nWORKDIR /app\nRUN --mount=type=cache,target=/app/node_modules npm ci\n"
                       "RUN --mount=type=cache,target=node_modules npm ci\n"
                       "RUN --mount=type=tmpfs,target=/deps pip install -t /deps/lib .\n"
                       "RUN --mount=type=cache,target=/root/.npm npm ci\n").content
    assert [(c.path.text, c.order) for c in entries] == [("/app/node_modules", 5)]


def test_heredoc_scripts_count_and_heredoc_data_does_not():
    entries = stage_of("FROM a\nWORKDIR /app\nRUN <<EOF\nset -e\nnpm ci\nEOF\n"
                       "RUN bash -ex <<EOF\ncomposer install\nEOF\n"
                       "RUN cat <<EOF > notes.txt\nnpm ci\nEOF\n").content
    assert [(c.path.text, c.order) for c in entries] == [("/app/node_modules", 2), ("/app/vendor", 3)]


def test_exec_form_run():
    entries = stage_of('FROM a\nWORKDIR /w\nRUN ["npm", "ci"]\nRUN ["/bin/sh", "-c", "cd /x && yarn"]\n').content
    assert [c.path.text for c in entries] == ["/w/node_modules", "/x/node_modules"]


def test_windows_run_paths_keep_backslashes():
    entries = stage_of("# escape=`\nFROM mcr.microsoft.com/dotnet/sdk:8.0-nanoserver-ltsc2022\nWORKDIR C:\\src\n"
                       "RUN dotnet publish -o C:\\app\\out; npm ci\n").content
    assert [(c.path.text, c.path.os) for c in entries] == [("C:\\app\\out", "windows"),
                                                           ("C:\\src\\node_modules", "windows")]


@pytest.mark.parametrize("build, copy, expected", [
    # `go build -o /out/api` made a file: its copy is one, at the destination or inside a known directory
    ("RUN go build -o /out/api ./cmd/api", "COPY --from=build /out/api /usr/local/bin/api",
     ("/usr/local/bin/api", True)),
    ("RUN go build -o /out/api ./cmd/api", "COPY --from=build /out/api /usr/local/bin/", ("/usr/local/bin/api", True)),
    # a relative source is taken from the stage's root, not from its WORKDIR
    ("RUN go build -o /src/api ./cmd/api", "COPY --from=build src/api /srv/api", ("/srv/api", True)),
    ("RUN go build -o api ./cmd/api", "COPY --from=build api /srv/api", ("/srv/api", False)),
    # a directory, or what the stage has not plainly made: recorded as the directory
    ("RUN go build -o /out/ ./...", "COPY --from=build /out /srv/bin", ("/srv/bin", False)),
    ("RUN make", "COPY --from=build /out/api /srv/api", ("/srv/api", False)),
])
def test_a_copy_of_a_file_an_earlier_stage_made_is_a_file(build, copy, expected):
    text = f"FROM golang:1.22 AS build\nWORKDIR /src\n{build}\nFROM debian:12\n{copy}\n"
    assert [(c.path.text, c.is_file) for c in stage_of(text).content] == [expected]
