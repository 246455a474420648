#!/usr/bin/env bash
# Tap to screen on a ten-year journal, through the real release window (issue #18):
#   scripts/measure-taps.sh [reps]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
"$root/scripts/setup.sh" test
target=${CARGO_TARGET_DIR:-$root/target}
npm --prefix ui run --silent build >/dev/null
cargo build --release --locked --quiet -p holdfast --features custom-protocol
HOLDFAST_APP="$target/release/holdfast" cargo run --release --locked --quiet -p holdfast-e2e --example taps -- "${1:-20}"
