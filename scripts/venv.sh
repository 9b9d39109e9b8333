# Shared by ./run and ./test: make .venv with Python 3.11+ and install Masthead into it.
# The install is redone only when pyproject.toml (or the extras asked for) change.

find_python() {
  for candidate in python3.13 python3.12 python3.11 python3 python; do
    if command -v "$candidate" > /dev/null 2>&1 &&
      "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2> /dev/null; then
      echo "$candidate"
      return 0
    fi
  done
  echo "Masthead needs Python 3.11 or newer; none was found on PATH." >&2
  return 1
}

ensure_venv() {
  local extras="$1" python stamp wanted
  if [ ! -x .venv/bin/python ]; then
    python=$(find_python)
    echo "Creating .venv with $("$python" --version)..."
    "$python" -m venv .venv
  fi
  stamp=.venv/.masthead-installed
  wanted="$(cat pyproject.toml | cksum) extras=$extras"
  # A dev install also serves ./run, so don't downgrade it to the plain one.
  if [ -f "$stamp" ] && { [ "$(cat "$stamp")" = "$wanted" ] ||
    { [ -z "$extras" ] && [ "$(cat "$stamp")" = "$(cat pyproject.toml | cksum) extras=dev" ]; }; }; then
    return 0
  fi
  echo "Installing Masthead${extras:+ with [$extras]} into .venv..."
  .venv/bin/python -m pip install --quiet -e ".${extras:+[$extras]}"
  echo "$wanted" > "$stamp"
}
