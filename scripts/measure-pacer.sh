#!/usr/bin/env bash
# Measures the guided response's CPR pacer over two minutes with both cores busy, from a recording
# of the app's real sound (a private PulseAudio null sink; tests/e2e/src/audio.rs). Prints the
# compressions heard, their mean gap and rate, the worst gap's error and the cycle timing.
# Needs what scripts/setup.sh test installs. About 2½ minutes.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
"$root/scripts/setup.sh" test >/dev/null
npm --prefix ui run --silent build >/dev/null
cargo build --locked -p holdfast
cargo test --locked -p holdfast-e2e --test e2e -- --ignored --nocapture --test-threads=1 \
  guided::measure_the_cpr_pacer_over_two_minutes_under_load 2>&1 | grep -oE "pacer over.*|test result.*|Error.*"
