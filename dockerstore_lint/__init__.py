"""dockerstore-lint: a linter for how Dockerfiles and Docker Compose files use storage."""

__version__ = "0.1.0"
