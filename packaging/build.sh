#!/usr/bin/env bash
# Build the one-folder app with PyInstaller and smoke-test it headless.
#   packaging/build.sh            → dist/modconsole/ (build files in build/)
# The build runs in its own venv, build/venv, holding exactly packaging/constraints.txt (the
# versions the bundle was smoke-tested with) plus modconsole from this tree (editable), so the
# bundle does not depend on what the development .venv happens to hold.
# Exits non-zero if the build or the frozen `modconsole selftest --gui --strict` fails.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
started=$SECONDS

py=${PYTHON:-}
if [ -z "$py" ]; then
  for cand in python3.11 python3.12 python3.13 python3 python; do
    if command -v "$cand" >/dev/null 2>&1 && "$cand" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
      py=$cand; break
    fi
  done
fi
[ -n "$py" ] || { echo "build: modconsole needs Python 3.11 or newer; none was found on PATH." >&2; exit 1; }

venv=build/venv
vpy=$venv/bin/python
case "$(uname -s)" in MINGW*|MSYS*|CYGWIN*) vpy=$venv/Scripts/python.exe ;; esac
if [ ! -x "$vpy" ]; then
  echo "== build venv: $venv ($("$py" --version))"
  "$py" -m venv "$venv"
fi
stamp=$venv/.modconsole-build
want=$("$py" -c 'import hashlib, sys; print(hashlib.sha256(b"".join(open(f, "rb").read() for f in sys.argv[1:])).hexdigest())' \
  pyproject.toml packaging/constraints.txt)  # (no sha256sum on macOS)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "== installing modconsole[package] with packaging/constraints.txt into $venv"
  "$vpy" -m pip install -q --upgrade pip
  "$vpy" -m pip install -q -c packaging/constraints.txt -e ".[package]"
  echo "$want" > "$stamp"
fi

echo "== pyinstaller $("$vpy" -m PyInstaller --version)"
"$vpy" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath dist --workpath build packaging/modconsole.spec
built=$SECONDS

app=dist/modconsole/modconsole
[ "${MODCONSOLE_PORTABLE:-}" = "1" ] && app=dist/modconsole
case "$(uname -s)" in MINGW*|MSYS*|CYGWIN*) app="$app.exe" ;; esac
[ -x "$app" ] || { echo "build: $app was not produced" >&2; exit 1; }

echo "== smoke test: $app selftest --gui --strict (offscreen, temporary data dir)"
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT
"$app" --version
if ! QT_QPA_PLATFORM=offscreen "$app" --data-dir "$data" selftest --gui --strict; then
  echo "build: the frozen selftest FAILED" >&2
  exit 1
fi

echo "== bundle"
du -sh "dist/modconsole" | awk '{print "size: " $1 " (dist/modconsole)"}'
echo "files: $(find dist/modconsole -type f | wc -l)"
echo "time: $((built - started)) s to build (venv included), $((SECONDS - built)) s to smoke-test"
