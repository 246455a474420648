#!/usr/bin/env bash
# Holdfast beside a blank Tauri 2 app, side by side (issue #18): scripts/measure-baseline.sh [runs] [--timeline] [--no-memory]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$root/scripts/setup.sh" test
exec python3 "$root/scripts/measure-baseline.py" "$@"
