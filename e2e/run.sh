#!/usr/bin/env bash
# Runs the end-to-end tests: Xvfb + tauri-driver (explicit ports) + pytest.
#
# Env: CUELINE_APP (default target/debug/cueline-desktop), TAURI_DRIVER (default
# .tools/bin/tauri-driver), E2E_PYTHON (default .tools/venv/bin/python),
# TAURI_DRIVER_PORT (default 4444; WebKitWebDriver gets the next port). Extra arguments go to pytest.
# `e2e/run.sh --script FILE [ARGS...]` runs a Python script (e.g. e2e/bench_editor.py) in the same
# harness instead of pytest.
# Do not set WEBKIT_DISABLE_* variables: they make WebDriver screenshots hang.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD

export CUELINE_APP=${CUELINE_APP:-$REPO/target/debug/cueline-desktop}
TAURI_DRIVER=${TAURI_DRIVER:-$REPO/.tools/bin/tauri-driver}
E2E_PYTHON=${E2E_PYTHON:-$REPO/.tools/venv/bin/python}
PORT=${TAURI_DRIVER_PORT:-4444}
NATIVE_PORT=$((PORT + 1))
export TAURI_DRIVER_URL="http://127.0.0.1:$PORT"

for f in "$CUELINE_APP" "$TAURI_DRIVER" "$E2E_PYTHON"; do
  [[ -x "$f" ]] || { echo "e2e: missing $f (run 'make e2e-setup' / 'make app')" >&2; exit 2; }
done
mkdir -p e2e/out
# A fresh config dir per run: the app's recent-files list (XDG_CONFIG_HOME/cueline/recent.json)
# neither leaks the developer's files into the tests nor collects the tests' temp files.
E2E_CONFIG=$(mktemp -d "${TMPDIR:-/tmp}/cueline-e2e-config.XXXXXX")
E2E_DATA=$(mktemp -d "${TMPDIR:-/tmp}/cueline-e2e-data.XXXXXX")
trap 'rm -rf "$E2E_CONFIG" "$E2E_DATA"' EXIT
export XDG_CONFIG_HOME=$E2E_CONFIG
# Likewise the crash journal (XDG_DATA_HOME/cueline): apps ended by WebDriver with unsaved edits
# leave journals that must not reach the user's data dir or a later run.
export XDG_DATA_HOME=$E2E_CONFIG/data
mkdir -p "$XDG_DATA_HOME"
# The editor tests check the manual save flow (Ctrl+S, "Unsaved changes", the close prompt, the
# conflict on save), so autosave is off for them; tests of autosave set their own config dir.
mkdir -p "$E2E_CONFIG/cueline"
echo '{"autosave": false}' >"$E2E_CONFIG/cueline/settings.json"
# ...and a fresh data dir, so crash journals never leak between runs or into the developer's.
export XDG_DATA_HOME=$E2E_DATA
# The editor tests of issue 3 check explicit saves (Ctrl+S) step by step, so the shared config
# turns autosave off; e2e/test_safety.py runs each app with its own folders, autosave on unless
# a test turns it off.
mkdir -p "$E2E_CONFIG/cueline"
echo '{"autosave": false}' >"$E2E_CONFIG/cueline/settings.json"

export TAURI_DRIVER E2E_PYTHON PORT NATIVE_PORT
# The X display is searched from the driver port up (not from :99 like every other xvfb-run -a):
# two runs started at the same moment would otherwise share a display, and one run's real key
# presses (XTEST) and window-close messages would reach the other run's window.
xvfb-run -a -n "$PORT" -s "-screen 0 1280x800x24" bash -c '
  set -euo pipefail
  "$TAURI_DRIVER" --port "$PORT" --native-port "$NATIVE_PORT" >"e2e/out/tauri-driver-$PORT.log" 2>&1 &
  TD=$!
  trap "kill $TD 2>/dev/null || true" EXIT
  for _ in $(seq 100); do
    (echo >/dev/tcp/127.0.0.1/$PORT) 2>/dev/null && break
    sleep 0.1
  done
  if [[ "${1:-}" == --script ]]; then
    shift
    "$E2E_PYTHON" "$@"
  else
    "$E2E_PYTHON" -m pytest -p no:cacheprovider -ra "$@" e2e
  fi
' e2e-runner "$@"
