#!/usr/bin/env bash
# Check what `pip install .` gives a user: a plain (non-editable) install into a fresh venv,
# then `modconsole selftest --gui --strict` headless, run from outside this tree so nothing
# from the checkout can be imported, and the resources must come from the installed package.
#   packaging/check-wheel.sh      (PYTHON=python3.12 packaging/check-wheel.sh for another Python)
# Needs the package index (or pip's configured wheels) for the dependencies.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
started=$SECONDS

py=${PYTHON:-}
if [ -z "$py" ]; then
  for cand in python3.11 python3.12 python3.13 python3 python; do
    if command -v "$cand" >/dev/null 2>&1 && "$cand" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
      py=$cand; break
    fi
  done
fi
[ -n "$py" ] || { echo "check-wheel: modconsole needs Python 3.11 or newer; none was found on PATH." >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
venv=$work/venv
"$py" -m venv "$venv"
bin=$venv/bin
case "$(uname -s)" in MINGW*|MSYS*|CYGWIN*) bin=$venv/Scripts ;; esac

echo "== pip install $top (plain wheel install, fresh venv, $("$py" --version))"
"$bin/python" -m pip install -q --upgrade pip
"$bin/python" -m pip install -q "$top"

echo "== modconsole selftest --gui --strict (offscreen, from $work)"
cd "$work"
out=$work/selftest.txt
status=0
QT_QPA_PLATFORM=offscreen "$bin/modconsole" --data-dir "$work/data" selftest --gui --strict | tee "$out" || status=$?
if [ "$status" -ne 0 ]; then
  echo "check-wheel: the selftest of the installed wheel FAILED" >&2
  exit 1
fi
assets=$("$bin/python" -c 'import os, sysconfig; print(os.path.realpath(os.path.join(sysconfig.get_paths()["purelib"], "ui", "assets")))')
if ! grep -qF "resources from $assets" "$out"; then
  echo "check-wheel: the resources did not come from the installed package ($assets)" >&2
  exit 1
fi
echo "check-wheel: ok ($((SECONDS - started)) s)"
