"""Compose files -> the storage model: `project.ProjectBuilder(...).build(files)`.

The steps, in the order they run: `yaml_nodes` (YAML -> positioned nodes, judged as Compose's YAML
reader judges them), `documents` (one file, its documents merged, `interpolation` applied with the
shell's `variables` as the linter imagines them and those of `dotenv`), `merge` (Compose's merge
rules), `project` (override files, `include`, `extends`, COMPOSE_FILE), then `services` and `mounts`
(a service -> a `Container` and its `Mount`s); `kind` groups the files into projects.
"""
