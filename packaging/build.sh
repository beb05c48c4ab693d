#!/usr/bin/env bash
# Build the one-folder app with PyInstaller and smoke-test it headless.
#   packaging/build.sh            → dist/modconsole/ (build files in build/)
# Exits non-zero if the build or the frozen `modconsole selftest --gui --strict` fails.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
[ -x .venv/bin/python ] || scripts/bootstrap
py=.venv/bin/python
if ! "$py" -c "import PyInstaller" >/dev/null 2>&1; then
  echo "build: installing pyinstaller into .venv (the 'package' extra)…" >&2
  "$py" -m pip install -q "pyinstaller>=6.6"
fi

echo "== pyinstaller $("$py" -m PyInstaller --version)"
"$py" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath dist --workpath build packaging/modconsole.spec

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
