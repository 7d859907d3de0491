"""`Run.writes`: the paths a RUN's command line plainly changes, and the ones it must not claim."""

from pathlib import Path

import pytest

from dockerstore_lint.facts.image import is_scratch_directory
from dockerstore_lint.inputs.dockerfile.parse import parse_dockerfile
from dockerstore_lint.model.container_paths import container_path
from dockerstore_lint.text.sources import Source


def writes(text, header="FROM alpine:3.20\nWORKDIR /w\nENV D=/srv/d\n"):
    dockerfile = parse_dockerfile(Source(Path("/project/Dockerfile"), "Dockerfile", header + text))
    stage = dockerfile.stages[-1]
    return [(w.path.text, w.recursive) for run in stage.runs for w in run.writes]


@pytest.mark.parametrize("run, expected", [
    ("RUN mkdir -p /a/b /c", [("/a/b", False), ("/c", False)]),
    ("RUN mkdir -m 755 /x", [("/x", False)]),  # the mode is the option's value, not a path
    ("RUN touch -d 2020-01-01 /f", [("/f", False)]),
    ("RUN chown -R app:app /d", [("/d", True)]),
    ("RUN chown -hR app /d", [("/d", True)]),
    ("RUN chown --recursive app /d", [("/d", True)]),
    ("RUN chown app /d", [("/d", False)]),
    ("RUN chown --reference=/ref /d", [("/d", False)]),  # no owner word with --reference
    ("RUN chgrp -R 0 /d", [("/d", True)]),
    ("RUN chmod 644 /f /g", [("/f", False), ("/g", False)]),
    ("RUN chmod -x /f", [("/f", False)]),  # `-x` is a mode here
    ("RUN chmod -R -w /d", [("/d", True)]),
    ("RUN cp a b /dest/", [("/dest", False)]),
    ("RUN cp -t /dest a b", [("/dest", False)]),
    ("RUN cp --target-directory=/dest a", [("/dest", False)]),
    ("RUN mv x y", [("/w/y", False)]),
    ("RUN cp onlyone", []),
    ("RUN rm -rf /tmp/*", [("/tmp/*", False)]),
    ("RUN tee /a /b < /dev/null", [("/a", False), ("/b", False)]),
    ("RUN echo hi > /f 2>&1", [("/f", False)]),
    ("RUN echo hi >>/f", [("/f", False)]),
    ("RUN echo a>/f", [("/f", False)]),
    ("RUN cmd &> /log", [("/log", False)]),
    ("RUN cat file >&2", []),  # duplicates a descriptor, writes no file
    ("RUN ls /data; cat /data/x | grep y && test -d /data", []),
    ("RUN echo /data && printf '%s' /data", []),
    ("RUN cd /srv && touch a", [("/srv/a", False)]),
    ("RUN cd sub && touch a", [("/w/sub/a", False)]),
    ("RUN cd && touch a", []),  # `cd` alone goes home: the directory is no longer known
    ("RUN cd - && touch a", []),
    ("RUN touch ~/x", []),
    ("RUN touch $UNKNOWN/x", []),
    ("RUN mkdir $(cat /etc/dir)", []),
    ("RUN touch $D/x ${D}/y", [("/srv/d/x", False), ("/srv/d/y", False)]),
    ("RUN sudo DEBIAN_FRONTEND=noninteractive mkdir /m", [("/m", False)]),
    ("RUN if true; then mkdir /t; fi", [("/t", False)]),
    ("RUN echo 'unterminated", []),
    ('RUN ["touch", "/j"]', [("/j", False)]),
    ('RUN ["/bin/sh", "-c", "mkdir /k && touch /k/f"]', [("/k", False), ("/k/f", False)]),
    ("RUN --mount=type=cache,target=/cache touch /cache/x /kept", [("/kept", False)]),
    ("RUN --mount=type=cache,target=cache touch cache/x", []),  # a relative target is from the WORKDIR too
    ("RUN <<EOF\nmkdir /h\nEOF", [("/h", False)]),  # the heredoc is the script
    ("RUN cat <<EOF > /etc/app.conf\nmkdir /not-a-command\nEOF", [("/etc/app.conf", False)]),  # ...or data
    ("RUN echo hi > /f-$UNSET", []),
])
def test_run_writes(run, expected):
    assert writes(run) == expected


def test_windows_shells_are_not_read():
    header = "# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\n"
    assert writes("RUN mkdir C:\\data\\logs\n", header) == []


@pytest.mark.parametrize("path, scratch", [
    ("/tmp", True), ("/tmp/app", True), ("/var/tmp", True), ("/tmpfiles", False), ("/var/lib/tmp", False),
])
def test_scratch_directories(path, scratch):
    assert is_scratch_directory(container_path(path)) is scratch


@pytest.mark.parametrize("run, expected", [
    # a download saved under a path, then unpacked elsewhere and deleted: nothing of it is left
    ("RUN curl -fsSL -o /data/x.tgz https://e.org/x.tgz && tar -xzf /data/x.tgz -C /opt && rm /data/x.tgz",
     [("/data/x.tgz", False)]),  # only the removal itself
    ("RUN wget -O /data/y.zip https://e.org/y.zip", [("/data/y.zip", False)]),
    ("RUN wget -q -P /data https://e.org/y.zip", [("/data", False)]),
    ("RUN curl --output=/data/z https://e.org/z", [("/data/z", False)]),
    ("RUN curl -o- https://e.org/i.sh | sh", []),  # standard output
    ("RUN mkdir -p /data/tmp && touch /data/tmp/a && rm -rf /data/tmp", [("/data/tmp", False)]),
    ("RUN touch /data/a /data/b.log && rm -f /data/*.log", [("/data/a", False), ("/data/*.log", False)]),
])
def test_what_a_run_removes_itself_is_not_left(run, expected):
    assert writes(run) == expected


def test_a_removal_is_marked_and_so_is_a_mkdir():
    dockerfile = parse_dockerfile(Source(Path("/project/Dockerfile"), "Dockerfile",
                                         "FROM alpine\nRUN mkdir /a && rm -r /b\n"))
    (mkdir, rm) = dockerfile.stages[-1].runs[0].writes
    assert (mkdir.makes_directory, mkdir.removes, rm.makes_directory, rm.removes) == (True, False, False, True)


def test_content_a_run_removes_itself_is_not_left():
    dockerfile = parse_dockerfile(Source(Path("/project/Dockerfile"), "Dockerfile",
                                         "FROM alpine\nWORKDIR /app\nRUN git clone https://e.org/t.git /tmp/t && "
                                         "make -C /tmp/t install && rm -rf /tmp/t\nRUN npm ci\n"))
    assert [c.path.text for c in dockerfile.stages[-1].content] == ["/app/node_modules"]
