#!/usr/bin/env bash
# Installs what is missing, builds Holdfast and opens it. Arguments are passed to the app, e.g.
#   scripts/run.sh --data-dir ~/holdfast-test-data
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "holdfast: no graphical display found (DISPLAY and WAYLAND_DISPLAY are unset); run this in a desktop session, or under xvfb-run." >&2
  exit 3
fi

"$root/scripts/setup.sh" run
(cd "$root/ui" && npm run --silent build >/dev/null)
cd "$root"
# custom-protocol embeds the built UI in the binary, as in a release.
exec cargo run --quiet -p holdfast --features custom-protocol -- "$@"
