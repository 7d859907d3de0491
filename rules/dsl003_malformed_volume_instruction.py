"""DSL003 malformed-volume-instruction."""

from typing import Iterator, Optional

from dockerstore_lint.finding import SAFE, Finding, Fix
from dockerstore_lint.fixes.intents import QuoteVolumes
from dockerstore_lint.model.dockerfile import INLINE_COMMENT, Dockerfile, VolumeDecl
from dockerstore_lint.rule import Rule


class MalformedVolumeInstruction(Rule):
    """A VOLUME instruction declares paths nobody meant: broken JSON such as `VOLUME [/data]`, or `VOLUME /`.

    ## What it does
    Flags a Dockerfile `VOLUME` written to look like the JSON form but not valid JSON: paths
    without double quotes (`VOLUME [/data]`, `VOLUME ['/data']`), a missing comma
    (`VOLUME ["/data" "/logs"]`) or unbalanced brackets. Docker then reads the shell form and
    declares the words as they are, brackets and quotes included. Also flags `VOLUME /`, which
    declares the container's whole filesystem a volume.

    ## Why it matters
    The image gets volumes at paths such as `[/data,` and `/logs]` instead of `/data` and
    `/logs`. The directory meant to hold the data is no volume at all, so its files stay in the
    container's writable layer and are gone with the container, while every container also gets
    anonymous volumes at paths nothing uses. `VOLUME /` can never be replaced by a mount: Docker
    refuses `/` as a mount target.

    ## Example
    ```dockerfile
    FROM alpine:3.20
    VOLUME [/data, /logs]
    ```

    ## Fix
    Write valid JSON, with double quotes and commas, or the plain form:
    ```dockerfile
    FROM alpine:3.20
    VOLUME ["/data", "/logs"]
    ```

    ## Fix safety
    Safe: the fix writes the JSON array of the paths the brackets and quotes were evidently meant
    to hold, which is what the author asked for; the image then declares those volumes and no
    others. `VOLUME /` and a VOLUME with a comment have no automatic fix.
    """

    code = "DSL003"
    level = "error"
    targets = ("dockerfile",)

    def dockerfile(self, dockerfile: Dockerfile) -> Iterator[Finding]:
        for stage in dockerfile.stages:
            # a stage also lists the VOLUMEs it inherits; each is judged in the stage that declares it
            own = [v for v in stage.volumes if v.stage == stage.index]
            for instruction in stage.instructions:
                if instruction.keyword != "VOLUME":
                    continue
                declared = [v for v in own if instruction.span.contains(v.span)]
                broken = next((v.malformed for v in declared if v.malformed), None)
                if broken is not None:
                    paths = [v.path.text for v in declared]
                    yield self.finding(instruction.span, *_malformed(instruction.value.strip(), broken, paths),
                                       fix=_quoted(declared, broken))
                    continue
                for volume in declared:
                    if volume.path.is_root:
                        yield self.finding(
                            volume.span,
                            f"VOLUME {volume.path} declares the container's whole filesystem a volume, which no "
                            f"mount can replace (Docker refuses the root directory as a mount target)",
                            "declare the directory that holds the data instead",
                        )


def _meant(paths: list[str]) -> list[str]:
    """The paths without the brackets, quotes and commas Docker took as part of them."""
    return [path for path in (p.strip("[]'\",") for p in paths) if path]


def _quoted(declared: list[VolumeDecl], why: str) -> Optional[Fix]:
    meant = _meant([v.path.text for v in declared])
    if why == INLINE_COMMENT or not meant:
        return None
    json_form = ", ".join(f'"{p}"' for p in meant)
    return Fix(f"Write VOLUME [{json_form}]", applicability=SAFE,
               intent=QuoteVolumes(tuple(declared), tuple(meant)))


def _malformed(written: str, why: str, paths: list[str]) -> tuple[str, str]:
    if why == INLINE_COMMENT:
        comment = next(index for index, path in enumerate(paths) if path.startswith("#"))
        extra = ", ".join(f"`{p}`" for p in paths[comment:])
        return (f"VOLUME {written} holds a comment, but {why}: Docker also declares the volumes {extra}",
                "move the comment to a line of its own above the VOLUME")
    meant = _meant(paths)
    json_form = ", ".join(f'"{p}"' for p in meant)
    declared = ", ".join(f"`{p}`" for p in paths)
    volumes = "volumes" if len(paths) > 1 else "volume"
    return (f"VOLUME {written} is not a JSON array ({why}), so Docker takes the words literally and declares "
            f"the {volumes} {declared} instead of {', '.join(meant)}",
            f"write VOLUME [{json_form}] or VOLUME {' '.join(meant)}")

