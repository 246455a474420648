#!/usr/bin/env bash
# Installs what is missing, then runs every check and test Holdfast has, and ends with a summary.
# Exit status is non-zero if anything failed.
#
#   scripts/test.sh            everything
#   scripts/test.sh --quick    everything but the end-to-end suite
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

quick=0
[ "${1:-}" = "--quick" ] && quick=1

"$root/scripts/setup.sh" test || { echo "setup failed"; exit 1; }

export CARGO_TERM_COLOR=${CARGO_TERM_COLOR:-never}
names=(); results=(); times=()
failed=0

step() {
  local name=$1; shift
  printf '\n\033[1m==> %s\033[0m  (%s)\n' "$name" "$*"
  local start=$SECONDS
  if "$@"; then results+=(PASS); else results+=(FAIL); failed=$((failed + 1)); fi
  names+=("$name"); times+=($((SECONDS - start)))
}

# The desktop entry and the AppStream metadata the .deb installs (packaging/linux/). Errors and
# warnings fail; pedantic hints are shown.
packaging() {
  desktop-file-validate packaging/linux/org.holdfast.companion.desktop &&
    appstreamcli validate --no-net --pedantic packaging/linux/org.holdfast.companion.metainfo.xml
}

step "UI build" npm --prefix ui run --silent build
step "rustfmt" cargo fmt --all --check
step "clippy" cargo clippy --workspace --all-targets --locked -- -D warnings
step "cargo-deny" cargo deny --log-level error check bans licenses sources
step "desktop entry + AppStream" packaging
step "svelte-check + tsc" npm --prefix ui run --silent check
step "vitest" npm --prefix ui test --silent
step "cargo test: core crates and shell" cargo test --locked -p holdfast-commands -p holdfast-content -p holdfast-domain -p holdfast-store -p holdfast-app -p holdfast
# Power cuts on a FUSE file system that drops what was not synced (tests/powercut, docs/testing.md).
# Needs /dev/fuse; fails (never skips) without it. The figures are printed. Soak mode:
# HOLDFAST_POWERCUT_SOAK=1000 scripts/test.sh --quick (or the cargo command alone).
step "cargo test: power cuts (FUSE)" cargo test --locked -p holdfast-powercut -- --nocapture
step "cargo test: e2e harness" cargo test --locked -p holdfast-e2e --lib
if [ $quick -eq 0 ]; then
  step "build the app" cargo build --locked -p holdfast
  # One scenario at a time: each starts its own display, bus, driver and app.
  step "end-to-end (WebKitGTK)" cargo test --locked -p holdfast-e2e --tests -- --test-threads=1
fi

printf '
[1mSummary[0m
'
passed=0
for i in "${!names[@]}"; do
  printf '  %-4s %-36s %4ss
' "${results[$i]}" "${names[$i]}" "${times[$i]}"
  [ "${results[$i]}" = PASS ] && passed=$((passed + 1))
done
[ $quick -eq 1 ] && echo "  (end-to-end suite skipped: --quick)"
echo "  screenshots: target/e2e-artifacts/"
echo "summary: $passed passed, $failed failed"
[ $failed -eq 0 ]
