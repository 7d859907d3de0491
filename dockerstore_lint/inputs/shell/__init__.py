"""The shell path every command-holding input takes: text -> the `docker`/`podman` commands in it.

`bash` (tree-sitter-bash) and `powershell` (tree-sitter-powershell and PowerShell's own argument rules)
turn a script's text into `SimpleCommand`s of positioned `Word`s; `variables` decides which assignment a
variable use sees; `commands` knows which commands start containers and what a run of them found.
"""
