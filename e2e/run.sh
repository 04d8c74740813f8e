#!/usr/bin/env bash
# Runs the end-to-end tests: Xvfb + tauri-driver (explicit ports) + pytest.
#
# Env: CUELINE_APP (default target/debug/cueline-desktop), TAURI_DRIVER (default
# .tools/bin/tauri-driver), E2E_PYTHON (default .tools/venv/bin/python),
# TAURI_DRIVER_PORT (default: the first free pair from 4444 up; WebKitWebDriver gets the next port). Extra arguments go to pytest;
# test files or node ids among them (e2e/test_x.py[::test_y]) run only those, else the whole suite.
# Each run has its own XDG config/data dirs (autosave off) and its own PulseAudio daemon with a
# null sink (PULSE_SERVER is exported to the app), all in one temp dir removed on exit.
# `e2e/run.sh --script FILE [ARGS...]` runs a Python script (e.g. e2e/bench_editor.py) in the same
# harness instead of pytest.
# Do not set WEBKIT_DISABLE_* variables: they make WebDriver screenshots hang.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD

export CUELINE_APP=${CUELINE_APP:-$REPO/target/debug/cueline-desktop}
TAURI_DRIVER=${TAURI_DRIVER:-$REPO/.tools/bin/tauri-driver}
E2E_PYTHON=${E2E_PYTHON:-$REPO/.tools/venv/bin/python}
# Two runs on one machine (two checkouts, or a benchmark beside the tests) must not share a
# tauri-driver: the second driver would fail to bind and the second run's tests would drive the
# first run's driver, whose apps get the first run's XDG dirs and sound server. So, unless a port
# is given, take the first pair from 4444 up on which nothing listens.
port_free() { ! (echo >"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
if [[ -n "${TAURI_DRIVER_PORT:-}" ]]; then
  PORT=$TAURI_DRIVER_PORT
else
  PORT=4444
  until port_free "$PORT" && port_free $((PORT + 1)); do
    PORT=$((PORT + 2))
    ((PORT < 4544)) || { echo "e2e: no free port pair in 4444-4543" >&2; exit 2; }
  done
fi
NATIVE_PORT=$((PORT + 1))
export TAURI_DRIVER_URL="http://127.0.0.1:$PORT"

for f in "$CUELINE_APP" "$TAURI_DRIVER" "$E2E_PYTHON"; do
  [[ -x "$f" ]] || { echo "e2e: missing $f (run 'make e2e-setup' / 'make app')" >&2; exit 2; }
done
mkdir -p e2e/out
# Everything of this run lives in one temp dir, removed on exit (also on failure or Ctrl+C):
#   config/  XDG_CONFIG_HOME: the app's recent-files list (cueline/recent.json) neither leaks the
#            developer's files into the tests nor collects the tests' temp files; settings.json
#            turns autosave off (below).
#   data/    XDG_DATA_HOME: apps ended by WebDriver with unsaved edits leave crash journals
#            (cueline/journal/) that must not reach the developer's data dir or a later run.
#   pulse/   the run's own PulseAudio daemon (below).
E2E_TMP=$(mktemp -d "${TMPDIR:-/tmp}/cueline-e2e.XXXXXX")
PA_DIR=$E2E_TMP/pulse
stop_pulse() {
  local pid
  pid=$(cat "$PA_DIR/run/pulse/pid" 2>/dev/null) || return 0
  kill "$pid" 2>/dev/null || return 0
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
}
cleanup() {
  stop_pulse
  rm -rf "$E2E_TMP"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

export XDG_CONFIG_HOME=$E2E_TMP/config XDG_DATA_HOME=$E2E_TMP/data
# No D-Bus session bus for the apps under test: the single-instance plugin then lets every launch
# run on its own (tests start apps one after another, and one may still be closing). The
# hand-off test (test_single_instance.py) starts a private bus for its own two launches.
export DBUS_SESSION_BUS_ADDRESS="unix:path=$E2E_TMP/no-session-bus"
mkdir -p "$XDG_CONFIG_HOME/cueline" "$XDG_DATA_HOME"
# The editor tests check the manual save flow (Ctrl+S, "Unsaved changes", the close prompt, the
# conflict on save) step by step, so the shared config turns autosave off; e2e/test_safety.py runs
# each app with its own folders, autosave on unless a test turns it off.
echo '{"autosave": false}' >"$XDG_CONFIG_HOME/cueline/settings.json"

# Sound without a sound card (platform-notes §6): a private PulseAudio daemon with a null sink,
# which consumes audio in real time. The app's output (rodio/cpal on ALSA's `default`, which
# libasound2-plugins sends to PulseAudio while one is reachable) opens there, so
# PlayerHandle::spawn_device() works and playback advances at 1 s per s. The daemon's HOME and
# runtime dir are in this run's temp dir (its log too: pulse/pulseaudio.log) (two runs never share a daemon, nothing is written
# elsewhere); the clients need only PULSE_SERVER (anonymous auth), and PULSE_COOKIE keeps libpulse
# from looking for a cookie in the developer's home. It runs until the EXIT trap kills it.
# norewinds=1 gives the null sink a fixed 50 ms latency: with rewinds on, an idle null sink runs
# 2 s blocks, and every new output stream (each app launch) stalled for about 2 s before it moved.
mkdir -p "$PA_DIR/home" "$PA_DIR/run"
command -v pulseaudio >/dev/null || { echo "e2e: pulseaudio not found (run 'make deps')" >&2; exit 2; }
HOME="$PA_DIR/home" XDG_RUNTIME_DIR="$PA_DIR/run" pulseaudio -D -n --exit-idle-time=-1 \
  --log-target="file:$PA_DIR/pulseaudio.log" \
  --load="module-null-sink sink_name=nullsink norewinds=1" \
  --load="module-native-protocol-unix auth-anonymous=1 socket=$PA_DIR/run/native" \
  2>"$PA_DIR/start.log" || {
  echo "e2e: PulseAudio did not start:" >&2
  cat "$PA_DIR/start.log" "$PA_DIR/pulseaudio.log" >&2 2>/dev/null || true
  exit 2
}
export PULSE_SERVER=unix:$PA_DIR/run/native PULSE_COOKIE=$PA_DIR/home/.config/pulse/cookie
for _ in $(seq 50); do [[ -S "$PA_DIR/run/native" ]] && break; sleep 0.1; done
[[ -S "$PA_DIR/run/native" ]] || { echo "e2e: no PulseAudio socket at $PA_DIR/run/native" >&2; exit 2; }

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
  # A driver that could not bind has exited: never run against whoever holds the port.
  sleep 0.2
  kill -0 "$TD" 2>/dev/null || { echo "e2e: tauri-driver exited (port $PORT taken?): e2e/out/tauri-driver-$PORT.log" >&2; exit 2; }
  if [[ "${1:-}" == --script ]]; then
    shift
    "$E2E_PYTHON" "$@"
  else
    # test files or node ids given (e2e/test_x.py, e2e/test_x.py::test_y): run only those
    where=e2e
    for a in "$@"; do
      case "$a" in e2e/*.py|e2e/*.py::*) where= ;; esac
    done
    "$E2E_PYTHON" -m pytest -p no:cacheprovider -ra "$@" $where
  fi
' e2e-runner "$@"
