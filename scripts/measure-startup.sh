#!/usr/bin/env bash
# Start-up time and idle memory of the release build: scripts/measure-startup.sh [runs]
# Straight to help (launch with --emergency to the first step shown): scripts/measure-startup.sh --emergency [runs]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$root/scripts/setup.sh" test
exec python3 "$root/scripts/measure-startup.py" "$@"
