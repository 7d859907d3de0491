"""Whether a container runs its image's service, and whether the image's entrypoint steps down from root for it."""

from __future__ import annotations

from typing import Optional

import pytest

from dockerstore_lint.facts.commands import entrypoint_drops_root, runs_image_service
from dockerstore_lint.model.container import Container
from dockerstore_lint.model.span import Setting, Span

SPAN = Span("run.sh", 1, 1, 1, 2)


def container(image: str, *command: str, entrypoint: Optional[tuple[str, ...]] = None) -> Container:
    return Container("c", "", "command", SPAN, image=Setting(image, SPAN), command=command, entrypoint=entrypoint)


@pytest.mark.parametrize(("image", "command", "entrypoint", "service", "drops"), [
    ("postgres:16", (), None, True, True),
    ("postgres:16", ("postgres", "-c", "fsync=off"), None, True, True),
    ("postgres:16", ("-c", "fsync=off"), None, True, True),  # the entrypoint puts `postgres` in front
    ("postgres:16", ("sh", "-c", "pg_dumpall -U postgres > /backup/all.sql"), None, False, False),
    ("postgres:16", ("psql", "-h", "db"), None, False, False),
    ("postgres:16", ("-h", "db"), ("pg_dumpall",), False, False),  # a replaced entrypoint
    ("postgres:16", ("sh", "-c", "exec docker-entrypoint.sh postgres"), None, None, True),  # runs it again
    ("postgres:16", ("bash", "-ec", "postgres -D /tmp/db"), None, None, False),  # the server, but as root
    ("postgres:16", ("$CMD",), None, None, True),  # not known
    ("postgres:16", ("gosu", "postgres", "pg_ctl", "start"), None, None, True),
    ("mongo:7", ("mongodump", "--out", "/backup"), None, False, True),  # every mongo* tool steps down
    ("mongo:7", ("sh", "-c", "mongodump --out /backup"), None, False, False),  # the entrypoint sees `sh`
    ("redis:7.2", ("/usr/local/etc/redis/redis.conf",), None, True, True),
    ("rabbitmq:4", ("rabbitmqctl", "status"), None, False, True),
    ("nginx:1.27", ("nginx-debug", "-g", "daemon off;"), None, None, None),  # nothing known of its commands
    ("python:3.12", ("python", "app.py"), None, None, False),  # no service, and never steps down
])
def test_service_and_step_down(image, command, entrypoint, service, drops):
    subject = container(image, *command, entrypoint=entrypoint)
    assert (runs_image_service(subject), entrypoint_drops_root(subject)) == (service, drops)
