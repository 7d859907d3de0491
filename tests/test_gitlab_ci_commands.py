"""GitLab CI -> the container commands of job scripts."""

from __future__ import annotations

from pathlib import Path, PurePath

from dockerstore_lint.inputs.gitlab_ci import claims, read_gitlab_ci
from dockerstore_lint.text.sources import Source
from tests.command_words import position, values


def read(text: str):
    return read_gitlab_ci(Source(Path("/repo/.gitlab-ci.yml"), ".gitlab-ci.yml", text))


def test_before_script_and_script_are_one_shell_after_script_another():
    text = ("variables:\n  DATA: /data\n"
            "build:\n"
            "  image: docker:24\n"
            "  before_script:\n    - D=$CI_PROJECT_DIR/cache\n"
            "  script:\n"
            "    - docker run -v \"$D\":/cache -v $DATA:/data alpine\n"
            "    - >\n      docker run --rm\n      -v \"$PWD\":/src img\n"
            "  after_script: docker run -v $D:/after img\n")
    first, second, third = read(text).commands
    assert values(first)[3::2][:2] == ["{HERE}/cache:/cache", "?$DATA:/data"]
    assert values(second) == ["docker", "run", "--rm", "-v", "{HERE}:/src", "img"]
    assert position(second.words[4]) == (11, 10, 11, 21)
    assert values(third)[3] == "?$D:/after"
    assert first.directory == Path("/repo")


def test_default_and_nested_lists():
    text = "default:\n  before_script:\n    - docker volume create cache\nb:\n  script:\n    - - docker run x\n"
    assert [values(command) for command in read(text).commands] == [["docker", "volume", "create", "cache"],
                                                                       ["docker", "run", "x"]]


def test_services_and_images_are_not_commands():
    assert read("services: [docker:dind]\nimage: docker:24\njob:\n  script: echo docker\n").commands == ()


def test_names():
    assert claims(PurePath("/repo/.gitlab-ci.yml")) and not claims(PurePath("gitlab-ci.yml"))


def test_jobs_on_an_own_runner_without_docker_in_docker_keep_their_containers():
    script = "  script: docker run -d redis:7\n"
    text = ("default:\n  tags: [saas-linux-small-amd64]\n"
            "hosted:\n" + script +
            "untagged:\n  tags: []\n" + script +
            "own:\n  tags: [deploy]\n" + script +
            "own-dind:\n  tags: [deploy]\n  services:\n    - name: docker:27-dind\n" + script)
    assert read(text).discarded == (True, True, False, True)
