# Cueline: the two user commands are `make run` and `make test`. Both set up a fresh Debian 12
# machine themselves (Debian packages, npm packages, test tools under .tools/), then build.
#
#   make run [FILE=path/to/episode.vtt]   build the desktop app and open FILE (default: the demo)
#   make test                             everything CI runs (.ci/run calls this)
#
# The test target is composed of smaller ones that can be run on their own:
#   setup lint (fmt-check clippy) rust-test ui-test bindings-check e2e deb-check (builds `make deb`)
# (`make test` runs them through scripts/make-test.sh, which times each and counts skipped tests)

SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

ROOT := $(CURDIR)
TOOLS := $(ROOT)/.tools
TARGET_DIR := $(or $(CARGO_TARGET_DIR),$(ROOT)/target)
APP := $(TARGET_DIR)/debug/cueline-desktop
TAURI_DRIVER := $(TOOLS)/bin/tauri-driver
TAURI_DRIVER_VERSION := 2.1.0
VENV := $(TOOLS)/venv

# Build: WebKitGTK (+ GTK, libsoup, ...), ALSA. Headless run and e2e: Xvfb, xauth, WebKitWebDriver.
# e2e sound: e2e/run.sh starts its own PulseAudio daemon with a null sink (pulseaudio), and
# libasound2-plugins sends ALSA's `default` device (what rodio/cpal open) to it.
# Spelling (crates/review): hunspell-en-us is the default en_US dictionary. The package check
# (scripts/check-deb.sh) validates the .desktop file with desktop-file-validate (desktop-file-utils).
# Player tests: lame (and sox) encode the MP3 test audio at test time. dbus: the single-instance
# hand-off test starts its own session bus (dbus-daemon).
APT_PACKAGES := build-essential pkg-config libwebkit2gtk-4.1-dev libasound2-dev \
	xvfb xauth webkit2gtk-driver python3-venv pulseaudio libasound2-plugins dbus \
	lame sox libsox-fmt-mp3 git hunspell-en-us desktop-file-utils
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: help run test setup deps ui-deps ui app lint fmt-check clippy rust-test ui-test bench bench-editor bench-store bench-audio bench-audio-memory demo-episode fuzz \
	bindings bindings-check bindings-diff e2e e2e-setup tauri-conf deb deb-check

help:
	@echo "make run [FILE=...]   build and open the desktop app (default: the bundled demo)"
	@echo "make test             fmt, clippy, Rust tests, UI build/check/tests, bindings drift, e2e, package"
	@echo "make deb              the Debian package, in $(DEB_DIR)"

# ---------------------------------------------------------------------------------------------
# The user commands

run: setup app
	"$(APP)" $(if $(FILE),"$(FILE)")

# The steps below in this order, each timed, then the count of skipped tests (scripts/make-test.sh).
test:
	scripts/make-test.sh

# ---------------------------------------------------------------------------------------------
# Set-up: idempotent, fast when everything is already there

setup: deps ui-deps ui

deps:
	@missing=""; \
	for p in $(APT_PACKAGES); do dpkg -s "$$p" >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update; \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $$missing; \
	else echo "Debian packages: all present"; fi
	@command -v cargo >/dev/null || { echo "cargo not found: install Rust (rustup) first" >&2; exit 1; }
	@command -v npm >/dev/null || { echo "npm not found: install Node.js 20+ first" >&2; exit 1; }

ui-deps: ui/node_modules/.cueline-installed

ui/node_modules/.cueline-installed: ui/package.json ui/package-lock.json
	cd ui && npm ci --no-audit --no-fund
	touch $@

# The app crate embeds ui/dist at compile time: build the UI before any cargo command that
# compiles src-tauri (including clippy and test).
ui: ui-deps
	cd ui && npm run build

app: ui
	cargo build -p cueline-desktop --features tauri/custom-protocol

# Writes the gitignored src-tauri/tauri.conf.json that the Tauri CLI (tauri dev/build) needs.
tauri-conf:
	python3 scripts/gen-tauri-conf.py

# The Debian package (scripts/check-deb.sh checks it): the release binaries are built once,
# in the `dist` profile (release without debug info), man pages and completions are generated
# from the clap definitions, and Tauri's bundler packs it all into $(DEB_DIR).
DIST := $(TARGET_DIR)/dist
DEB_DIR := $(DIST)/bundle/deb
TAURI_CLI := TAURI_APP_PATH=src-tauri TAURI_FRONTEND_PATH=ui ui/node_modules/.bin/tauri

deb: setup
	python3 scripts/gen-tauri-conf.py
	rm -rf "$(DIST)/assets" "$(DEB_DIR)"
	time cargo build --profile dist -p cueline-cli
	cargo run -q -p cueline-cli --example gen_assets -- "$(DIST)/assets" >/dev/null
	gzip -9n "$(DIST)/assets/man/"*.1
	time $(TAURI_CLI) build --ci --bundles deb -- --profile dist
	@ls -l "$(DEB_DIR)"/*.deb

deb-check: deb e2e-setup
	cargo build -q -p cueline-cli
	TAURI_DRIVER="$(TAURI_DRIVER)" E2E_PYTHON="$(VENV)/bin/python" \
	  scripts/check-deb.sh "$(DEB_DIR)" "$(TARGET_DIR)/debug/cueline"

# ---------------------------------------------------------------------------------------------
# Checks

lint: fmt-check clippy

fmt-check:
	cargo fmt --all --check

clippy: ui
	cargo clippy --workspace --all-targets -- -D warnings

rust-test: ui
	cargo test --workspace

ui-test: ui-deps
	cd ui && npm run check
	cd ui && npm test

# Regenerates ui/src/lib/ipc/bindings.ts from the Rust types.
bindings: ui
	cargo test -p cueline-desktop --lib ipc::bindings

# Fails when the committed bindings differ from what the Rust types generate (rust-test runs
# the export test, which rewrites the file).
bindings-check: rust-test bindings-diff

bindings-diff:
	@if git -C "$(ROOT)" rev-parse --is-inside-work-tree >/dev/null 2>&1; then \
	  git -C "$(ROOT)" ls-files --error-unmatch ui/src/lib/ipc/bindings.ts >/dev/null; \
	  git -C "$(ROOT)" diff --exit-code -- ui/src/lib/ipc/bindings.ts \
	    || { echo "ui/src/lib/ipc/bindings.ts is out of date: run 'make bindings' and commit it" >&2; exit 1; }; \
	  echo "bindings: up to date"; \
	else echo "bindings-check: not a git checkout, skipped"; fi

# ---------------------------------------------------------------------------------------------
# End-to-end tests of the real app (Xvfb + tauri-driver + WebKitWebDriver + selenium)

e2e-setup: $(TAURI_DRIVER) $(VENV)/.installed

$(TAURI_DRIVER):
	cargo install tauri-driver --version $(TAURI_DRIVER_VERSION) --locked --root "$(TOOLS)"

$(VENV)/.installed: e2e/requirements.txt
	python3 -m venv "$(VENV)"
	"$(VENV)/bin/pip" install --quiet --disable-pip-version-check -r e2e/requirements.txt
	touch $@

e2e: app e2e-setup
	CUELINE_APP="$(APP)" TAURI_DRIVER="$(TAURI_DRIVER)" E2E_PYTHON="$(VENV)/bin/python" e2e/run.sh

# ---------------------------------------------------------------------------------------------
# On demand, not in CI: benchmarks against named peers, and fuzzing

BENCH_VENV := $(TOOLS)/bench-venv

# Criterion benches of the core, then bench/run.py: `cueline check` vs ripgrep, parsing vs
# webvtt-py, `cueline replace` vs rg | xargs sed. Needs ../shared/corpus.
bench: deps
	@command -v rg >/dev/null || { $(SUDO) apt-get update && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ripgrep; }
	@[ -x "$(BENCH_VENV)/bin/python" ] || { python3 -m venv "$(BENCH_VENV)" && "$(BENCH_VENV)/bin/pip" install --quiet --disable-pip-version-check webvtt-py==0.6.0; }
	cargo build --release -p cueline-cli -p cueline-transcript --example parse_vtt_dir
	cargo bench -p cueline-transcript --bench parse_print
	BENCH_PYTHON="$(BENCH_VENV)/bin/python" python3 bench/run.py

# The editor in the real window (same harness as e2e): launch -> first cue painted and
# keystroke -> paint (p50/p95) on the 5,536-cue corpus file, with a plain <textarea> as the peer.
# Needs ../shared/corpus. BENCH_RUNS (launches, default 5), BENCH_CHARS (typed, default 100).
# Autosave write, journal append and reload latency on the 5,536-cue corpus file (release).
bench-store:
	cargo run --release -p cueline-transcript-store --example bench_store

# Repository mode on the whole corpus (release, crates/repository/examples/bench_repo.rs):
# opening the project and the index's memory per MB of transcripts; search as you type (p50/p95
# per query, goal under 50 ms) vs rg running the same query over the same folder; a literal
# replace across a corpus copy (plan + apply) vs `rg -l | xargs sed -i`, same bytes, goal at
# most 1.5x. Needs ../shared/corpus (or CUELINE_CORPUS) and ripgrep (installed here).
# What changed since HEAD, cue by cue: the comparison on the 5,536-cue file (marks after an edit,
# goal 5 ms; on open, goal 50 ms) against a line diff in the same process, then `cueline diff`
# over the whole corpus in a git repository with 41 files changed vs `git diff --stat` (goal
# at most 2x). Needs ../shared/corpus (or CUELINE_CORPUS; the first part generates a file).
.PHONY: bench-diff
bench-diff:
	cargo build --release -p cueline-cli
	cargo run --release -p cueline-git --example bench_compare
	python3 bench/diff_vs_git.py

.PHONY: bench-spell
# `cueline spell --no-suggest` (and with suggestions) over the corpus against `cueline check`
# over the same files, and the flags per 1,000 cues of the corrected corpus (bench/spell_vs_check.py).
bench-spell:
	cargo build --release -p cueline-cli
	python3 bench/spell_vs_check.py

.PHONY: bench-flags
# The window's spelling/sounds-like flags on a generated 5,536-cue file: re-check after one edit
# and the whole file on open, against spellbook checking every word (crates/review/examples).
bench-flags:
	cargo run --release -p cueline-review --example bench_flags

.PHONY: bench-repo
bench-repo:
	@command -v rg >/dev/null || { $(SUDO) apt-get update && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ripgrep; }
	cargo build --release -p cueline-cli
	cargo run --release -p cueline-repository --example bench_repo

bench-editor: app e2e-setup
	CUELINE_APP="$(APP)" TAURI_DRIVER="$(TAURI_DRIVER)" E2E_PYTHON="$(VENV)/bin/python" \
	  e2e/run.sh --script e2e/bench_editor.py

# Memory (issue 13): PSS per process of the app's tree with the 5,536-cue file, the demo, and a
# blank page in the same window (WebKit's floor), beside Gaupol opening the same file.
.PHONY: bench-memory
bench-memory: app e2e-setup
	@command -v gaupol >/dev/null && command -v xdotool >/dev/null || { $(SUDO) apt-get update && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends gaupol xdotool; }
	CUELINE_APP="$(APP)" TAURI_DRIVER="$(TAURI_DRIVER)" E2E_PYTHON="$(VENV)/bin/python" \
	  e2e/run.sh --script e2e/bench_memory.py

# Launch -> first cue painted (p50/p95), the packaged release app (extracted from `make deb`)
# beside the debug build, alternated in one run; the 5,536-cue corpus file, else the demo.
.PHONY: bench-package
bench-package: deb app e2e-setup
	root=$$(mktemp -d); trap 'rm -rf "$$root"' EXIT; dpkg-deb -x "$(DEB_DIR)"/*.deb "$$root"; \
	CUELINE_PACKAGE_APP="$$root/usr/bin/cueline-desktop" CUELINE_DEBUG_APP="$(APP)" CUELINE_APP="$(APP)" \
	  TAURI_DRIVER="$(TAURI_DRIVER)" E2E_PYTHON="$(VENV)/bin/python" e2e/run.sh --script e2e/bench_package.py

# crates/player: click-to-audio latency (seek -> first sample at the new position, p50/p95) and
# waveform peaks of a 60-minute MP3 vs `ffmpeg -f null` decoding it. Needs ffmpeg (installed here).
bench-audio: deps
	@command -v ffmpeg >/dev/null || { $(SUDO) apt-get update && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ffmpeg; }
	cargo run --release -p cueline-player --example bench_audio

# Memory of the real app (same harness as e2e) with a 2-hour MP3 attached, after its waveform
# peaks, 10 s of playback and 4 seeks, vs the same editor on the same transcript without audio.
# Goal: under 100 MB above it. The MP3 (sox + lame, about 20-30 s) is made once in e2e/out/.
# BENCH_RUNS (launches of each kind, default 3).
bench-audio-memory: deps app e2e-setup
	CUELINE_APP="$(APP)" TAURI_DRIVER="$(TAURI_DRIVER)" E2E_PYTHON="$(VENV)/bin/python" \
	  e2e/run.sh --script e2e/bench_audio_memory.py

# The bundled demo episode: espeak-ng speaks demo/demo-episode.script.txt, and
# scripts/make-demo-episode.sh writes demo/demo-episode.mp3 with the .vtt and .txt timed to the
# speech. The results are committed (`make run` plays them), so this is not part of CI.
demo-episode: deps
	@command -v espeak-ng >/dev/null || { $(SUDO) apt-get update && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends espeak-ng; }
	scripts/make-demo-episode.sh

# cargo-fuzz targets of the core (fuzz/): FUZZ_SECONDS each (default 60).
FUZZ_SECONDS ?= 60
fuzz:
	@[ -x "$(TOOLS)/bin/cargo-fuzz" ] || cargo install cargo-fuzz --locked --root "$(TOOLS)"
	cd fuzz && for t in round_trip edit_undo; do \
	  RUSTC_BOOTSTRAP=1 "$(TOOLS)/bin/cargo-fuzz" run $$t -- -max_total_time=$(FUZZ_SECONDS); done
