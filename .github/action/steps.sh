#!/usr/bin/env bash
# The steps of the GitHub Action (action.yml at the top of the repository), one command each:
#
#   steps.sh setup     find Python >= 3.10 and say what to install and under which pip cache key
#   steps.sh install   install dockerstore-lint in a virtualenv of its own (or a --target directory)
#   steps.sh lint      run it with the action's inputs and write the SARIF report
#
# They live in a file rather than in action.yml's `run:` blocks so that they can be read, checked and
# tested as one script (tests/test_action.py runs them with bash). Inputs arrive as environment variables,
# never as script text. Written for bash 3.2 (macOS's /bin/bash) and Git Bash on Windows: no mapfile, no
# associative arrays, and an empty array is expanded as ${a[@]+"${a[@]}"} (bash < 4.4 calls a bare
# "${a[@]}" unbound under `set -u`).
set -euo pipefail

# Git Bash rewrites an argument that looks like a POSIX path (/srv/data becomes C:/Program Files/Git/srv/data)
# when it starts a Windows program; the linter must get paths inside containers as written. Every path this
# script passes is already a Windows one (see native_path).
export MSYS_NO_PATHCONV=1 MSYS2_ARG_CONV_EXCL='*'

# Python 3.10 is what dockerstore-lint needs. A versioned name comes after the plain ones so that a runner
# whose `python3` is older (Apple's 3.9 on macOS) still finds a newer one.
PYTHON_NAMES="python3 python python3.14 python3.13 python3.12 python3.11 python3.10"
# A version number installs that release from the package index; anything else is a git ref. A full
# commit hash is a ref even when it is all digits.
RELEASE_PATTERN='^[0-9]+(\.[0-9]+)*((a|b|rc)[0-9]+)?(\.post[0-9]+)?(\.dev[0-9]+)?$'
COMMIT_PATTERN='^[0-9a-f]{40}$'
# the characters git allows in a ref name that also survive a pip URL unquoted (no '@', '#', '%', space)
REF_PATTERN='^[A-Za-z0-9_][A-Za-z0-9_./-]*$'

# -I (isolated): neither the current directory, which is the repository being linted, nor PYTHONPATH or
# the user's site-packages reach sys.path, so nothing in the scanned files is ever imported.
# The launcher serves both layouts: SITE is empty for a virtualenv, the --target directory otherwise
# (first on sys.path, so its packages win over the system's).
LAUNCHER='import sys
site = sys.argv.pop(1)
if site:
    sys.path.insert(0, site)
sys.argv[0] = "dockerstore-lint"
from dockerstore_lint.cli import main
main()'
# Words as a shell reads them, without a shell: whitespace separates, quotes group, and nothing is
# expanded ($VAR, *, ~ and backquotes stay as written). A backslash is an ordinary character, so Windows
# paths pass as written. NUL-separated: a quoted word may hold a newline.
SPLITTER='import os, shlex, sys
lexer = shlex.shlex(sys.argv[2], posix=True)
lexer.whitespace_split = True
lexer.escape = ""
lexer.commenters = ""
try:
    words = list(lexer)
except ValueError as error:
    sys.exit("%s: %s in %r" % (sys.argv[1], error, sys.argv[2]))
sys.stdout.buffer.write(b"".join(os.fsencode(word) + b"\0" for word in words))'

fail() {
  printf '::error title=dockerstore-lint::%s\n' "$1"
  exit 2
}

set_output() {
  printf '%s=%s\n' "$1" "$2" >> "$GITHUB_OUTPUT"
}

# On Windows a backslash separates directories: C:\a\_temp becomes C:/a/_temp, which Git Bash and
# Windows programs both read and which Git Bash never rewrites. Elsewhere a backslash is part of a name.
native_path() {
  if [ "${RUNNER_OS:-}" = Windows ]; then
    REPLY=${1//\\//}
  else
    REPLY=$1
  fi
}

tool_directory() {
  native_path "$RUNNER_TEMP"
  TOOL="$REPLY/dockerstore-lint"
}

# Runs a command and keeps its one line of output in REPLY (without the \r of a Windows program).
capture() {
  REPLY=$("$@")
  REPLY=${REPLY%$'\r'}
}

find_python() {
  local name found
  for name in $PYTHON_NAMES; do
    found=$(command -v "$name" 2>/dev/null) || continue
    # Python 2 refuses -I; the Microsoft Store's python3.exe placeholder exits non-zero
    if "$found" -I -c 'import sys; sys.exit(sys.version_info < (3, 10))' > /dev/null 2>&1; then
      PYTHON=$found
      return 0
    fi
  done
  fail "no Python 3.10 or newer on PATH (tried: $PYTHON_NAMES); add actions/setup-python before this step, or install python3 in the job's container"
}

repository_url() {
  REPLY=$(sed -n 's/^Repository[[:space:]]*=[[:space:]]*"\([^"]*\)"[[:space:]]*$/\1/p' "$GITHUB_ACTION_PATH/pyproject.toml")
  [ -n "$REPLY" ] || fail "no [project.urls] Repository in $GITHUB_ACTION_PATH/pyproject.toml"
}

# Sets REQUIREMENT (what pip installs) and FINGERPRINT (what the pip cache key says about it).
resolve_version() {
  local version=$1
  if [ -z "$version" ]; then
    native_path "$GITHUB_ACTION_PATH"
    REQUIREMENT=$REPLY
    # the dependencies, hence the cache's contents, are those the action's own pyproject.toml names
    capture "$PYTHON" -I -c 'import hashlib, sys
with open(sys.argv[1], "rb") as file:
    print(hashlib.sha256(file.read()).hexdigest()[:16])' "$REQUIREMENT/pyproject.toml"
    FINGERPRINT=$REPLY
  elif [[ $version =~ $RELEASE_PATTERN ]] && ! [[ $version =~ $COMMIT_PATTERN ]]; then
    REQUIREMENT="dockerstore-lint==$version"
    FINGERPRINT=$version
  elif [[ $version =~ $REF_PATTERN ]] && [[ $version != *..* && $version != */ && $version != *.lock ]]; then
    repository_url
    REQUIREMENT="dockerstore-lint @ git+$REPLY@$version"
    FINGERPRINT=$version
  else
    fail "version $(printf '%q' "$version") is neither a version number (0.2.0) nor a git ref (v0.2.0, main, a commit hash)"
  fi
}

setup() {
  local minor key
  find_python
  resolve_version "${INPUT_VERSION:-}"
  capture "$PYTHON" -I -c 'import sys; print("%d.%d" % sys.version_info[:2])'
  minor=$REPLY
  tool_directory
  # wheels differ by system, machine and Python; a cache saved for another version is still a good start
  key="dockerstore-lint-pip-${RUNNER_OS:-}-${RUNNER_ARCH:-}-py$minor-"
  set_output python "$PYTHON"
  set_output requirement "$REQUIREMENT"
  set_output cache-dir "$TOOL/pip-cache"
  set_output cache-key "$key$FINGERPRINT"
  set_output cache-restore-key "$key"
}

install() {
  local venv_python
  tool_directory
  rm -rf "$TOOL/venv" "$TOOL/site"
  mkdir -p "$TOOL"
  # where to install is this step's decision, not the job's pip settings; the index, proxy and
  # certificates the job configures still apply
  unset PIP_USER PIP_TARGET PIP_PREFIX PIP_ROOT PIP_REQUIRE_VIRTUALENV
  export PIP_CACHE_DIR="$TOOL/pip-cache" PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1
  if "$PYTHON" -I -m venv "$TOOL/venv" > "$TOOL/venv.log" 2>&1; then
    # the venv module lays out Scripts\python.exe on Windows and bin/python elsewhere (MSYS2's Python too)
    if [ -f "$TOOL/venv/Scripts/python.exe" ]; then
      venv_python="$TOOL/venv/Scripts/python.exe"
    else
      venv_python="$TOOL/venv/bin/python"
    fi
    "$venv_python" -I -m pip install --quiet "$REQUIREMENT"
    set_output python "$venv_python"
    set_output site ""
  elif "$PYTHON" -I -m pip --version > /dev/null 2>&1; then
    # Debian's and Ubuntu's python3 without python3-venv. --target installs every dependency afresh into
    # a directory of ours, whatever the system has, and changes nothing outside it, so PEP 668's marker
    # (which guards the system's site-packages) does not refuse it; --user would be refused, and later
    # steps would import what it installs
    printf '::notice title=dockerstore-lint::%s cannot create a virtualenv; installing with pip install --target\n' "$PYTHON"
    sed 's/^/  /' "$TOOL/venv.log"
    rm -rf "$TOOL/venv"
    "$PYTHON" -I -m pip install --quiet --target "$TOOL/site" "$REQUIREMENT"
    set_output python "$PYTHON"
    set_output site "$TOOL/site"
  else
    sed 's/^/  /' "$TOOL/venv.log"
    fail "$PYTHON can neither create a virtualenv nor run pip; install python3-venv or python3-pip in the job's container (Debian, Ubuntu), or use a python image"
  fi
}

# Sets WORDS to the words of $2 (see SPLITTER); $1 names the input in an error.
split_words() {
  local word
  WORDS=()
  "$PYTHON" -I -c "$SPLITTER" "$1" "$2" > "$TOOL/words" || fail "cannot split the $1 input into words (see above)"
  while IFS= read -r -d '' word; do
    WORDS+=("$word")
  done < "$TOOL/words"
}

lint() {
  local status=0 paths args word command
  tool_directory
  split_words paths "$INPUT_PATHS"
  paths=(${WORDS[@]+"${WORDS[@]}"})
  split_words args "${INPUT_ARGS:-}"
  args=(${WORDS[@]+"${WORDS[@]}"})
  for word in ${args[@]+"${args[@]}"}; do
    case $word in
      # the report is SARIF at the output input, which the sarif output names; paths go in paths
      --format | --format=* | --output | --output=* | -o*) fail "args: $word: the action writes SARIF to the output input" ;;
      --) fail "args: --: give paths in the paths input" ;;
    esac
  done
  native_path "$INPUT_OUTPUT"
  mkdir -p -- "$(dirname -- "$REPLY")"
  command=("$PYTHON" -I -c "$LAUNCHER" "$SITE" check --format sarif --output "$INPUT_OUTPUT"
           --fail-level "$INPUT_FAIL_LEVEL")
  if [ -n "${INPUT_CONFIG:-}" ]; then
    command+=(--config "$INPUT_CONFIG")
  fi
  # the extra arguments come after the action's options (for an option given twice, the last wins) and
  # before `--`, after which every word is a path even when it starts with a dash
  command+=(${args[@]+"${args[@]}"} -- ${paths[@]+"${paths[@]}"})
  "${command[@]}" || status=$?
  set_output sarif "$INPUT_OUTPUT"
  set_output exit-code "$status"
  exit "$status"
}

case "${1:-}" in
  setup) setup ;;
  install) install ;;
  lint) lint ;;
  *) fail "usage: steps.sh setup|install|lint" ;;
esac
