"""Dockerfiles -> the storage model: `parse.parse_dockerfile(source)`, and the input kind (`kind`).

The steps, in the order they run: `lexer` (physical lines -> instructions, over dockerfile-parse),
`syntax` and `words` (arguments, BuildKit's quoting and `$VAR` expansion), `rejections` (what Docker
refuses), `stages` (scoping, inheritance, OS), with `content` (COPY/ADD) and `runs` (RUN).
"""
