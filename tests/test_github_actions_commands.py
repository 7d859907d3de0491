"""GitHub Actions workflows -> run-step commands and the containers of jobs."""

from __future__ import annotations

from pathlib import Path, PurePath

from dockerstore_lint.inputs.github_actions import claims, read_workflow
from dockerstore_lint.text.sources import Source
from tests.command_words import position, values

WORKFLOW = ".github/workflows/ci.yml"


def read(text: str):
    return read_workflow(Source(Path("/repo") / WORKFLOW, WORKFLOW, text))


def test_run_steps_with_workspace_expressions_and_exact_positions():
    text = ("jobs:\n"
            "  test:\n"
            "    runs-on: ubuntu-latest\n"
            "    steps:\n"
            "      - run: |\n"
            "          docker run --rm \\\n"
            "            -v ${{ github.workspace }}/data:/data \\\n"
            "            -v \"$GITHUB_WORKSPACE\":/src -v $PWD:/pwd -e T=${{ secrets.TOKEN }} img\n")
    result = read(text)
    (command,) = result.commands
    assert values(command) == ["docker", "run", "--rm", "-v", "{HERE}/data:/data", "-v", "{HERE}:/src", "-v",
                               "{HERE}:/pwd", "-e", "?T=${{ secrets.TOKEN }}", "img"]
    assert command.directory == Path("/repo")
    assert position(command.words[4]) == (7, 16, 7, 50)
    assert command.words[4].written == "${{ github.workspace }}/data:/data"


def test_the_step_shell_decides_how_run_is_read():
    text = ("defaults:\n  run:\n    shell: pwsh\n"
            "jobs:\n"
            "  a:\n    runs-on: ubuntu-latest\n    steps:\n"
            "      - run: docker run -v ${PWD}:/w img\n"
            "      - run: docker run -v $PWD/x:/x img\n        shell: bash\n"
            "      - run: print('docker run -v /x:/x img')\n        shell: python\n"
            "  b:\n    runs-on: windows-latest\n    defaults:\n      run:\n        shell: cmd\n    steps:\n"
            "      - run: docker run -v %CD%:/w img\n")
    assert [values(command)[3] for command in read(text).commands] == ["{HERE}:/w", "{HERE}/x:/x"]


def test_a_working_directory_makes_pwd_unknown_and_env_values_are_known():
    text = ("env:\n  DATA: /srv/data\n  TOKEN: ${{ secrets.T }}\n"
            "jobs:\n  a:\n    steps:\n"
            "      - run: docker run -v $PWD:/a -v $DATA:/d -v \"$TOKEN\":/t -v $GITHUB_WORKSPACE:/w img\n"
            "        working-directory: sub\n")
    (command,) = read(text).commands
    assert values(command)[3::2][:4] == ["?$PWD:/a", "/srv/data:/d", "?$TOKEN:/t", "{HERE}:/w"]


def test_job_containers_and_services():
    text = ("jobs:\n"
            "  test:\n"
            "    container:\n"
            "      image: node:20\n"
            "      volumes:\n"
            "        - ${{ github.workspace }}/cache:/cache\n"
            "        - /data\n"
            "      options: --user 1000 --health-cmd \"pg_isready -U x\" --label 'a b'\n"
            "    services:\n"
            "      db: postgres:16\n"
            "      redis:\n"
            "        image: ${{ matrix.redis }}\n"
            "    steps:\n      - run: echo hi\n"
            "  other:\n    steps: []\n")
    result = read(text)
    (job,) = result.jobs
    assert job.job == "test" and position(job.span) == (2, 3, 2, 7)
    container, db, redis = job.containers
    assert (container.name, container.image.value) == ("container", "node:20")
    assert [word.value for word in container.volumes] == ["\ue000/cache:/cache", "/data"]
    assert position(container.volumes[1]) == (7, 11, 7, 16)
    assert [word.value for word in container.options] == ["--user", "1000", "--health-cmd", "pg_isready -U x",
                                                         "--label", "'a", "b'"]
    assert position(container.options[3]) == (8, 41, 8, 58)
    assert (db.name, db.image.value, db.volumes, position(db.span)) == ("db", "postgres:16", (), (10, 7, 10, 9))
    assert (redis.image.resolved, redis.image.value) == (False, "${{ matrix.redis }}")
    assert result.commands == ()


def test_broken_yaml_is_a_problem_not_an_exception():
    result = read("jobs:\n  a: [docker\n")
    assert result.commands == () and result.problems and result.problems[0].code == "DSL001"


def test_names():
    assert claims(PurePath(".github/workflows/ci.yml")) and claims(PurePath("x/.github/workflows/a.yaml"))
    assert not claims(PurePath(".github/ci.yml")) and not claims(PurePath(".github/workflows/sub/ci.yml"))


def test_expressions_in_a_powershell_step_leave_their_words_unresolved():
    text = ("jobs:\n  a:\n    runs-on: windows-latest\n    steps:\n"
            "      - run: docker run -v ${{ github.workspace }}:C:\\w -v ${{ matrix.dir }}:C:\\m img\n")
    (command,) = read(text).commands
    assert values(command)[3::2][:2] == ["{HERE}:C:\\w", "?${{ matrix.dir }}:C:\\m"]


def test_steps_on_hosted_runners_are_discarded_with_the_job_and_self_hosted_ones_are_not():
    step = "    steps:\n      - run: docker run -d redis:7\n"
    text = ("jobs:\n"
            "  hosted:\n    runs-on: ubuntu-latest\n" + step +
            "  larger:\n    runs-on: ${{ matrix.os }}\n" + step +
            "  own:\n    runs-on: [self-hosted, linux]\n" + step +
            "  own-group:\n    runs-on:\n      group: builders\n      labels: self-hosted\n" + step +
            "  group:\n    runs-on:\n      group: larger-runners\n" + step)
    assert read(text).discarded == (True, True, False, False, True)
