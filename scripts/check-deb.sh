#!/usr/bin/env bash
# Checks the Debian package `make deb` built, the way a user's system sees it:
#   dpkg-deb --info / --contents (files, Version, Depends, Recommends), desktop-file-validate,
#   `apt-get install --simulate`, then the contents extracted to a temporary root and run from
#   there: `cueline --version`, `cueline check` on the repository's fixtures (same output and
#   exit status as the workspace build), `cueline-desktop --version`, and the extracted
#   `cueline-desktop` in a real window through the e2e harness (e2e/package_check.py: no
#   argument opens a copy of the installed demo in $XDG_DATA_HOME/cueline/demo/; a fixture opens).
# Prints the .deb size and the installed size.
#
# Usage: scripts/check-deb.sh DEB_DIR WORKSPACE_CUELINE
#   DEB_DIR            the bundler's output folder (one cueline_*.deb in it)
#   WORKSPACE_CUELINE  a `cueline` built from the same checkout (target/debug/cueline)
# Env: TAURI_DRIVER and E2E_PYTHON as for e2e/run.sh (`make deb-check` sets them).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
DEB_DIR=${1:?usage: check-deb.sh DEB_DIR WORKSPACE_CUELINE}
WORKSPACE_CUELINE=$(realpath "${2:?usage: check-deb.sh DEB_DIR WORKSPACE_CUELINE}")
FIXTURES="$ROOT/crates/transcript/tests/fixtures"
failures=0
fail() { echo "check-deb: FAIL: $*" >&2; failures=$((failures + 1)); }
ok() { echo "check-deb: ok: $*"; }

shopt -s nullglob
debs=("$DEB_DIR"/*.deb)
[ "${#debs[@]}" -eq 1 ] || { echo "check-deb: expected one .deb in $DEB_DIR, found ${#debs[@]}" >&2; exit 1; }
DEB=$(realpath "${debs[0]}")
echo "check-deb: $DEB"

# --- the control file ----------------------------------------------------------------------
field() { dpkg-deb --field "$DEB" "$1"; }
version=$(sed -n '/^\[workspace.package\]/,/^\[/s/^version = "\(.*\)"/\1/p' "$ROOT/Cargo.toml")
[ "$(field Version)" = "$version" ] && ok "Version $version (the workspace's)" \
  || fail "Version is '$(field Version)', the workspace's is '$version'"
depends=$(field Depends)
for dep in libwebkit2gtk-4.1-0 libgtk-3-0 libasound2; do
  grep -qE "(^|, )$dep( |,|$)" <<<"$depends" || fail "Depends lacks $dep: $depends"
done
recommends=$(field Recommends)
for rec in hunspell-en-us git; do
  grep -qE "(^|, )$rec( |,|$)" <<<"$recommends" || fail "Recommends lacks $rec: '$recommends'"
done
ok "Depends: $depends"
ok "Recommends: $recommends"

# --- the files -----------------------------------------------------------------------------
contents=$(dpkg-deb --contents "$DEB" | awk '{print $NF}' | sed 's|^\./||; s|^|/|; s|/$||')
want=(
  /usr/bin/cueline-desktop
  /usr/bin/cueline
  /usr/share/doc/cueline/copyright
  /usr/share/cueline/demo-episode.vtt
  /usr/share/cueline/demo-episode.txt
  /usr/share/cueline/demo-episode.mp3
  /usr/share/man/man1/cueline.1.gz
  /usr/share/man/man1/cueline-glossary-check.1.gz
  /usr/share/bash-completion/completions/cueline
  /usr/share/zsh/vendor-completions/_cueline
  /usr/share/fish/vendor_completions.d/cueline.fish
  /usr/share/icons/hicolor/128x128/apps/cueline-desktop.png
)
for f in "${want[@]}"; do
  grep -qxF "$f" <<<"$contents" || fail "missing $f"
done
grep -q 'demo-episode.script' <<<"$contents" && fail "the demo's script is packaged"
desktop_files=$(grep -E '^/usr/share/applications/.*\.desktop$' <<<"$contents" || true)
[ "$(wc -l <<<"$desktop_files")" -eq 1 ] && [ -n "$desktop_files" ] || fail "expected one .desktop file: $desktop_files"
ok "$(wc -l <<<"$contents") paths, the expected ones among them"

# --- extracted, as installed ---------------------------------------------------------------
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
dpkg-deb -x "$DEB" "$TMP/root"
R="$TMP/root"

# One man page per (sub)command: exactly the pages the generator wrote from the clap tree.
pages=$(cd "$R/usr/share/man/man1" && ls)
generated=$(cd "$DEB_DIR/../../assets/man" && ls)
[ "$pages" = "$generated" ] && ok "man pages: $(tr '\n' ' ' <<<"$pages")" \
  || fail "packaged man pages differ from the generated ones: $pages vs $generated"
for page in "$R"/usr/share/man/man1/*.1.gz; do
  name=$(basename "$page" .1.gz)
  zcat "$page" | grep -q "^\.TH $name 1" || fail "$page has no .TH $name header"
done
for sub in check replace glossary; do
  grep -q "$sub" "$R/usr/share/bash-completion/completions/cueline" || fail "bash completion lacks $sub"
done

desktop="$R${desktop_files}"
if desktop-file-validate "$desktop"; then ok "desktop-file-validate $(basename "$desktop")"; else fail "desktop-file-validate $desktop"; fi
grep -qxF 'Exec=cueline-desktop %F' "$desktop" || fail "desktop file: Exec is not 'cueline-desktop %F'"
grep -qxF 'MimeType=text/vtt;application/x-subrip;' "$desktop" || fail "desktop file: MimeType"
grep -q 'inode/directory' "$desktop" && fail "desktop file claims inode/directory"

# Debug info is stripped, symbols are kept (Tauri's bundle-type marker is found through them).
for bin in cueline cueline-desktop; do
  sections=$(readelf -S --wide "$R/usr/bin/$bin")
  grep -q '\.debug_info' <<<"$sections" && fail "$bin still has debug info"
  grep -q '\.symtab' <<<"$sections" || fail "$bin has no symbol table"
done

got=$("$R/usr/bin/cueline" --version)
want_version=$("$WORKSPACE_CUELINE" --version)
[ "$got" = "$want_version" ] && ok "cueline --version: $got" \
  || fail "packaged '$got', workspace build '$want_version'"
grep -qE "^cueline $version \(commit ([0-9a-f]{7,}|unknown)\)$" <<<"$got" || fail "version line: $got"

set +e
packaged_out=$(cd "$FIXTURES" && "$R/usr/bin/cueline" check . 2>&1); packaged_rc=$?
workspace_out=$(cd "$FIXTURES" && "$WORKSPACE_CUELINE" check . 2>&1); workspace_rc=$?
set -e
if [ "$packaged_out" = "$workspace_out" ] && [ "$packaged_rc" = "$workspace_rc" ]; then
  ok "cueline check on the fixtures: exit $packaged_rc, $(tail -1 <<<"$packaged_out")"
else
  fail "cueline check differs: packaged exit $packaged_rc, workspace exit $workspace_rc"
  diff <(echo "$workspace_out") <(echo "$packaged_out") | head -20 >&2
fi
[ "$packaged_rc" = 1 ] || fail "the fixtures have errors: check must exit 1, got $packaged_rc"

# The app names the same release and commit as the command line (Help > About shows it too).
desktop_version=$("$R/usr/bin/cueline-desktop" --version)
[ "$desktop_version" = "cueline-desktop ${got#cueline }" ] && ok "cueline-desktop --version: $desktop_version" \
  || fail "cueline-desktop --version: '$desktop_version', cueline: '$got'"

# --- the extracted app in a real window ----------------------------------------------------
e2e_start=$SECONDS
if CUELINE_PACKAGE_ROOT="$R" CUELINE_APP="$R/usr/bin/cueline-desktop" \
  "$ROOT/e2e/run.sh" --script -m pytest -p no:cacheprovider -ra "$ROOT/e2e/package_check.py"; then
  ok "the extracted cueline-desktop in a window ($((SECONDS - e2e_start)) s)"
else
  fail "e2e/package_check.py on the extracted cueline-desktop"
fi

# --- what apt would do ---------------------------------------------------------------------
if apt_out=$(apt-get install --simulate "$DEB" 2>&1); then
  ok "apt-get install --simulate: $(grep -cE '^Inst ' <<<"$apt_out") package(s) to install"
else
  fail "apt-get install --simulate:"; echo "$apt_out" | tail -20 >&2
fi

# --- sizes ---------------------------------------------------------------------------------
deb_bytes=$(stat -c %s "$DEB")
installed_kib=$(field Installed-Size)
awk -v d="$deb_bytes" -v i="$installed_kib" 'BEGIN {
  printf "check-deb: size: .deb %.2f MiB (%d bytes), installed %.2f MiB (Installed-Size %d KiB)\n", d / 1048576, d, i / 1024, i }'

if [ "$failures" -gt 0 ]; then
  echo "check-deb: $failures check(s) failed" >&2
  exit 1
fi
echo "check-deb: all checks passed"
