"""The shell path every command-holding input takes: text -> the `docker`/`podman` commands in it.

`bash` (tree-sitter-bash) and `powershell` (tree-sitter-powershell for structure, PowerShell's own
argument rules for words) turn a text into `SimpleCommand`s of positioned `Word`s; `trees` is what the
two share (one walk of the syntax tree, byte/character offsets, text the grammars can be given
safely); `variables` decides which assignment a variable use sees; `commands` knows which commands
start containers, what an input kind tells the readers (`ShellContext`) and how much of a file is read.
"""
