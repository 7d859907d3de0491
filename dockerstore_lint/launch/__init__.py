"""Commands that start containers: `docker run` and friends read from their arguments.

`docker_cli` recognises an invocation in a shell command's words and reads its flags with Docker's
own flag table (`flag_tables`); `mount_spec` reads `-v`, `--mount` and `--tmpfs` values with Docker's
rules; `invocations` holds the value types they produce. Nothing here runs a command or reads a file.
"""
