"""Which builders can build a Dockerfile.

The legacy builder refuses what only BuildKit reads: any option of RUN (`--mount`, `--network`, `--security`:
"the --mount option requires BuildKit"), `--chmod` and `--link` of COPY and ADD ("the --chmod option requires
BuildKit"), and heredocs (`RUN <<EOF`, `COPY <<EOF`), which it does not parse as such. It builds every stage of
the file in turn, so one such instruction anywhere makes the whole file BuildKit's.
"""

from __future__ import annotations

from typing import Optional

from dockerstore_lint.model.dockerfile import Dockerfile, Instruction

_BUILDKIT_COPY_FLAGS = ("chmod", "link")


def buildkit_only(dockerfile: Dockerfile) -> Optional[Instruction]:
    """The first instruction that only BuildKit can build, or None when the legacy builder can build the file."""
    for stage in dockerfile.stages:
        for instruction in stage.instructions:
            if instruction.heredocs or (instruction.keyword == "RUN" and instruction.flags) or (
                    instruction.keyword in ("COPY", "ADD")
                    and any(flag in instruction.flags for flag in _BUILDKIT_COPY_FLAGS)):
                return instruction
    return None
