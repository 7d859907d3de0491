"""`--output` onto what is not a regular file: devices, FIFOs and this process's own descriptors.

Only a regular file or a new path is replaced (atomically, through a temporary file); anything else
is opened and written, as a shell redirection would. As root (CI runs as root), a rename puts a
regular file in place of a device, so the devices here are made with mknod in a temporary folder,
never the machine's own: /dev/null and /dev/full are character devices 1:3 and 1:7.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.cli_process import run_cli

DOCKERFILE = "FROM busybox\nVOLUME [/data]\n"  # DSL003, an error: exit status 1


@pytest.fixture
def project(tmp_path):
    (tmp_path / "Dockerfile").write_text(DOCKERFILE, encoding="utf-8")
    return tmp_path


def device(folder: Path, name: str, minor: int) -> Path:
    path = folder / name
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, minor))
        with open(path, "rb"):
            pass
    except (PermissionError, OSError) as error:
        pytest.skip(f"cannot make or open a device node here: {error}")
    return path


def test_a_null_device_is_written_not_replaced(project, tmp_path_factory):
    null = device(tmp_path_factory.mktemp("dev"), "null", 3)
    done = run_cli(["-q", "-o", str(null), "Dockerfile"], cwd=project)  # -q: no summary line on stderr
    assert (done.status, done.stderr) == (1, "")
    assert stat.S_ISCHR(null.stat().st_mode), "the device was replaced by a regular file"
    assert [p.name for p in null.parent.iterdir()] == ["null"], "a temporary file was left behind"


def test_a_full_device_is_a_clean_usage_error(project, tmp_path_factory):
    full = device(tmp_path_factory.mktemp("dev"), "full", 7)
    done = run_cli(["--format", "sarif", "-o", str(full), "Dockerfile"], cwd=project)
    assert done.status == 2
    assert done.stderr == f"Error: cannot write {full}: No space left on device\n"
    assert stat.S_ISCHR(full.stat().st_mode)
    assert [p.name for p in full.parent.iterdir()] == ["full"]


def test_standard_output_on_a_full_device_is_a_clean_usage_error(project, tmp_path_factory):
    full = device(tmp_path_factory.mktemp("dev"), "full", 7)
    with open(full, "wb") as stdout:
        done = subprocess.run([sys.executable, "-m", "dockerstore_lint", "Dockerfile"], cwd=project, stdout=stdout,
                              stderr=subprocess.PIPE, timeout=60, check=False)
    assert done.returncode == 2
    assert done.stderr.decode() == "Error: cannot write standard output: No space left on device\n"


def test_a_fifo_is_written_to_its_reader(project, tmp_path):
    fifo = tmp_path / "report.fifo"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    done = run_cli(["--format", "json", "-o", str(fifo), "Dockerfile"], cwd=project)
    reader.join(60)
    assert done.status == 1 and not reader.is_alive(), "the FIFO's reader is still waiting"
    assert received == [run_cli(["--format", "json", "Dockerfile"], cwd=project).stdout.encode()]
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Dockerfile", "report.fifo"]


@pytest.mark.parametrize("name", ["/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"])
def test_a_path_naming_standard_output_writes_it(project, name):
    expected = run_cli(["-q", "Dockerfile"], cwd=project).stdout
    done = run_cli(["-q", "-o", name, "Dockerfile"], cwd=project)  # -q: no summary line on stderr
    assert (done.status, done.stdout, done.stderr) == (1, expected, "")
    assert os.path.islink("/dev/stdout")


def test_dev_stdout_redirected_to_a_file_appends_where_the_shell_left_it(project, tmp_path):
    log = tmp_path / "log.txt"
    log.write_text("before\n", encoding="utf-8")
    expected = run_cli(["Dockerfile"], cwd=project).stdout
    with open(log, "ab") as stdout:
        done = subprocess.run([sys.executable, "-m", "dockerstore_lint", "-o", "/dev/stdout", "Dockerfile"],
                              cwd=project, stdout=stdout, stderr=subprocess.PIPE, timeout=60, check=False)
    assert done.returncode == 1, done.stderr
    assert log.read_text(encoding="utf-8") == "before\n" + expected
    assert os.path.islink("/dev/stdout")


def test_a_descriptor_that_is_not_open_is_a_usage_error(project):
    done = run_cli(["-o", "/dev/fd/9", "Dockerfile"], cwd=project)
    assert done.status == 2 and done.stderr.startswith("Error: cannot write /dev/fd/9: ")
