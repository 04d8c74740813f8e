#!/usr/bin/env bash
# `make test`: every step CI runs, one after another, stopping at the first that fails; then how
# long each step took and how many tests were skipped or ignored (with the reasons pytest gives).
#
# Why a script and not make prerequisites: make runs prerequisites in an order it is free to
# change and prints nothing about time, and the skip counts have to be read from the steps' own
# output. Each step is still a make target (`make lint`, `make e2e`, ...), run here as a sub-make,
# and its output still goes to the terminal; a copy is kept in $LOGS for the summary.
set -euo pipefail
cd "$(dirname "$0")/.."

STEPS=(setup lint rust-test ui-test bindings-diff e2e deb-check)
LOGS=${TEST_LOGS:-$PWD/target/test-logs}
rm -rf "$LOGS"
mkdir -p "$LOGS"
# The safety tests record their figures (kills survived, faults injected, inputs tried, bytes
# lost) here (cueline_transcript_store::atomic::testing::figure, e2e/test_kill_typing.py).
export CUELINE_FIGURES=$LOGS/figures

declare -a NAMES=() SECONDS_TAKEN=() RESULTS=()
summary() {
  echo
  echo "make test: time per step"
  local i total=0
  for i in "${!NAMES[@]}"; do
    printf '  %-14s %6s s  %s\n' "${NAMES[$i]}" "${SECONDS_TAKEN[$i]}" "${RESULTS[$i]}"
    total=$((total + SECONDS_TAKEN[i]))
  done
  printf '  %-14s %6s s\n' total "$total"
  # cargo: "test result: ok. 12 passed; 0 failed; 2 ignored; ..."; pytest: "== 50 passed, 3 skipped in";
  # vitest: "Tests  40 passed | 1 skipped (41)".
  local ignored skipped vskipped
  ignored=$(cat "$LOGS"/*.log 2>/dev/null | sed -n 's/.*test result: .* \([0-9][0-9]*\) ignored;.*/\1/p' | awk '{s+=$1} END {print s+0}')
  skipped=$(cat "$LOGS"/*.log 2>/dev/null | sed -n 's/^=.* \([0-9][0-9]*\) skipped.* in [0-9.]*s.*=$/\1/p' | awk '{s+=$1} END {print s+0}')
  vskipped=$(cat "$LOGS"/*.log 2>/dev/null | sed -n 's/^ *Tests .* \([0-9][0-9]*\) skipped.*/\1/p' | awk '{s+=$1} END {print s+0}')
  echo "make test: skipped $((ignored + skipped + vskipped)) (Rust ignored $ignored, end-to-end skipped $skipped, UI skipped $vskipped)"
  grep -h '^SKIPPED' "$LOGS"/*.log 2>/dev/null | sed 's/^/  /' || true
  if [[ -s "$CUELINE_FIGURES/safety.txt" ]]; then
    echo "make test: safety figures"
    sed 's/^/  /' "$CUELINE_FIGURES/safety.txt"
  fi
}
trap summary EXIT

for step in "${STEPS[@]}"; do
  started=$(date +%s)
  set +e
  make --no-print-directory "$step" 2>&1 | tee "$LOGS/$step.log"
  rc=${PIPESTATUS[0]}
  set -e
  NAMES+=("$step")
  SECONDS_TAKEN+=($(($(date +%s) - started)))
  if ((rc != 0)); then
    RESULTS+=("FAILED (exit $rc; log: $LOGS/$step.log)")
    exit "$rc"
  fi
  RESULTS+=(ok)
done
